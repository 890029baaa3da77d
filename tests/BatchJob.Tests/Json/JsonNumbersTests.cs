using System.Globalization;
using System.Text;
using BatchJob.Json;

namespace BatchJob.Tests.Json;

/// <summary>
/// The few-decimals fast path must print exactly what .NET's "R" prints, or every log line and
/// predictions file changes. Held over the values a run writes (sums of 3-decimal features,
/// latencies rounded to 4 places) and over the edges where the argument for it is thinnest:
/// 15 digits, 1e-4 where "R" turns to E notation, ulps around powers of ten, and raw bit patterns.
/// </summary>
public sealed class JsonNumbersTests
{
    private const int PerKind = 200_000;

    [Theory]
    [InlineData(6.0, "6")]
    [InlineData(15.0, "15")]
    [InlineData(-77.734, "-77.734")]
    [InlineData(0.0022, "0.0022")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(123456789012345.0, "123456789012345")]
    public void The_record_lines_usual_numbers_take_the_fast_path(double value, string expected)
    {
        Span<byte> text = stackalloc byte[JsonNumbers.MaxLength];
        JsonNumbers.TryFormatFewDecimals(value, text, out var length).Should().BeTrue();
        Encoding.ASCII.GetString(text[..length]).Should().Be(expected);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.Epsilon)]
    [InlineData(0.00009999)]
    [InlineData(1.375e-11)]
    [InlineData(1e15)]
    [InlineData(0.30000000000000004)]
    public void Zero_E_notation_and_more_than_15_digits_go_to_R(double value)
    {
        Span<byte> text = stackalloc byte[JsonNumbers.MaxLength];
        JsonNumbers.TryFormatFewDecimals(value, text, out _).Should().BeFalse();
    }

    [Fact]
    public void Sums_of_three_decimal_features_print_as_R_prints_them()
    {
        // Added left to right as doubles, as SumModel does: many sums carry the additions' error.
        var random = new Random(20);
        var taken = AgreeWithR(PerKind, () =>
        {
            var sum = 0.0;
            var count = random.Next(3, 9);
            for (var i = 0; i < count; i++)
            {
                sum += random.Next(-100_000, 100_001) / 1000.0;
            }

            return sum;
        });
        taken.Should().BeGreaterThan(PerKind / 4, "the exact sums have a short form");
    }

    [Fact]
    public void Latencies_rounded_to_four_places_print_as_R_prints_them()
    {
        var random = new Random(21);
        var taken = AgreeWithR(PerKind, () => Math.Round(random.NextDouble() * Math.Pow(10, random.Next(-3, 5)), 4));
        taken.Should().BeGreaterThan(PerKind / 2);
    }

    [Fact]
    public void Decimals_of_every_length_and_magnitude_print_as_R_prints_them()
    {
        var random = new Random(22);
        AgreeWithR(PerKind, () =>
        {
            var digits = random.NextInt64(1, 1_000_000_000_000_000);
            var scale = Math.Pow(10, random.Next(-20, 5));
            return (random.Next(2) == 0 ? 1 : -1) * digits * scale;
        });
        AgreeWithR(PerKind, () => Math.Round(random.NextDouble() * 1e6, random.Next(0, 16)));
    }

    [Fact]
    public void Neighbours_of_powers_of_ten_and_of_the_edges_print_as_R_prints_them()
    {
        var values = new List<double>();
        for (var exponent = -6; exponent <= 16; exponent++)
        {
            foreach (var center in new[] { Math.Pow(10, exponent), 9.999999 * Math.Pow(10, exponent), 999999999999999.0 / Math.Pow(10, 15 - exponent) })
            {
                var below = center;
                var above = center;
                for (var step = 0; step < 64; step++)
                {
                    values.Add(below);
                    values.Add(above);
                    below = Math.BitDecrement(below);
                    above = Math.BitIncrement(above);
                }
            }
        }

        values.Add(-0.0);
        values.Add(0.0);
        var index = 0;
        AgreeWithR(values.Count, () => values[index++]);
    }

    [Fact]
    public void Any_bit_pattern_prints_as_R_prints_it()
    {
        var random = new Random(23);
        AgreeWithR(PerKind, () =>
        {
            double value;
            do
            {
                value = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
            }
            while (!double.IsFinite(value));

            return value;
        });
    }

    /// <summary>Every value's text equals "R"; returns how many took the fast path.</summary>
    private static int AgreeWithR(int count, Func<double> next)
    {
        Span<byte> text = stackalloc byte[JsonNumbers.MaxLength];
        var taken = 0;
        for (var i = 0; i < count; i++)
        {
            var value = next();
            var expected = value.ToString("R", CultureInfo.InvariantCulture);
            var length = JsonNumbers.FormatClef(value, text, "test");
            var actual = Encoding.ASCII.GetString(text[..length]);
            if (actual != expected)
            {
                actual.Should().Be(expected, "the fast path must print {0:R} (bits {1:X16}) as \"R\" does", value, BitConverter.DoubleToInt64Bits(value));
            }

            if (JsonNumbers.TryFormatFewDecimals(value, text, out _))
            {
                taken++;
            }
        }

        return taken;
    }
}
