using System.Text;
using BatchJob.Input;

namespace BatchJob.Tests.Input;

/// <summary>
/// A line is a record or a failure with a reason, whatever its bytes and escapes: never an
/// exception, which would end the whole batch (exit 1, and Kubernetes retries into the same crash).
/// </summary>
public sealed class RecordParserOddLineTests
{
    [Theory]
    [MemberData(nameof(OddLines.Records), MemberType = typeof(OddLines))]
    public void Odd_but_valid_lines_are_records(string description, byte[] line, string expectedId)
    {
        var ok = new RecordParser().TryParse(line, out var record, out var error, out _);

        ok.Should().BeTrue($"{description}: {error}");
        record.Id.ToString().Should().Be(expectedId, description);
        record.Features.Length.Should().BePositive();
    }

    [Theory]
    [MemberData(nameof(OddLines.Failures), MemberType = typeof(OddLines))]
    public void Odd_invalid_lines_are_failures_with_a_reason(string description, byte[] line, string reason)
    {
        var ok = new RecordParser().TryParse(line, out _, out var error, out _);

        ok.Should().BeFalse(description);
        error.Should().Match(reason, description);
    }

    [Fact]
    public void A_lone_surrogate_in_an_id_read_after_a_good_one_keeps_nothing_of_it()
    {
        var parser = new RecordParser();
        parser.TryParse("""{"id": "good", "features": [1, 2]}"""u8, out _, out _, out _).Should().BeTrue();

        parser.TryParse("""{"features": [3], "id": "\ud800"}"""u8, out _, out var error, out var idSeen).Should().BeFalse();

        error.Should().StartWith("\"id\" is not valid Unicode");
        idSeen.Should().BeNull("the id could not be read, so the failure line cannot name it");
    }

    /// <summary>
    /// Valid lines, mutated at random from a fixed seed (the same lines every run): whatever comes
    /// out, TryParse returns a record or a reason and never throws; a line it accepts is valid JSON;
    /// and the fast path, when it accepts, agrees with the general path to the bit.
    /// </summary>
    [Fact]
    public void Mutated_lines_never_throw_and_the_two_paths_agree()
    {
        var random = new Random(20240115);
        var fast = new RecordParser();
        var general = new RecordParser();
        var parser = new RecordParser();
        int records = 0, failures = 0, fastAccepted = 0;
        for (var i = 0; i < 50_000; i++)
        {
            var line = Mutate(random, Seeds[random.Next(Seeds.Length)]);
            bool ok;
            string? error;
            try
            {
                ok = parser.TryParse(line, out _, out error, out _);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"TryParse threw on {Show(line)}", e);
            }

            if (ok)
            {
                records++;
                error.Should().BeNull();
                var act = () => System.Text.Json.JsonDocument.Parse(line).Dispose();
                act.Should().NotThrow($"an accepted line is JSON: {Show(line)}");
            }
            else
            {
                failures++;
                error.Should().NotBeNullOrWhiteSpace(Show(line));
            }

            if (fast.TryParseCanonical(line, out var quick))
            {
                fastAccepted++;
                general.TryParseGeneral(line, out var slow, out var slowError, out _).Should().BeTrue($"{slowError}: {Show(line)}");
                quick.Id.Should().Be(slow.Id, Show(line));
                Bits(quick.Features).Should().Equal(Bits(slow.Features), Show(line));
            }
        }

        // The mutations must reach both outcomes and the fast path, or this proves little.
        records.Should().BeGreaterThan(1_000);
        failures.Should().BeGreaterThan(10_000);
        fastAccepted.Should().BeGreaterThan(500);
    }

    private static readonly byte[][] Seeds =
    [
        .. new[]
        {
            """{"id": 1, "features": [1.0, 2.0, 3.0]}""",
            """{"id":-42,"features":[0.5,-1e3,2.25E-2]}""",
            """{"features": [7], "id": "rec-\u0041\ud83d\ude00", "meta": {"a": [true, null]}}""",
            """{"\u0069d": 9223372036854775807, "fe\u0061tures": [123456789012345678901, 4.9e-324]}""",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    // Bytes and fragments that make lines odd in the ways the table lists.
    private static readonly byte[][] Fragments =
    [
        .. new[]
        {
            "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u0000", "\\u", "\\", "\"", "{", "}", "[", "]", ",", ":",
            "-", "0", "9", ".", "e", "E", "+", "1e999", "99999999999999999999", "null", "true", " ", "\t", "\r",
            "\"id\": 1, ", "\"features\": [1], ",
        }.Select(Encoding.UTF8.GetBytes),
        [0x00], [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [0xE2, 0x82], [0x80], [0xF4, 0x90, 0x80, 0x80],
    ];

    private const string Punctuation = " \"\\{}[],:-.0123456789eEu";

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var line = new List<byte>(seed);
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = random.Next(line.Count + 1);
            switch (random.Next(5))
            {
                case 0 when at < line.Count:
                    line.RemoveAt(at);
                    break;
                case 1 when at < line.Count:
                    line[at] = (byte)random.Next(256);
                    break;
                case 2:
                    line.InsertRange(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 3 when at < line.Count:
                    // Duplicate a slice: repeated keys, values, brackets.
                    var length = random.Next(1, Math.Min(12, line.Count - at) + 1);
                    line.InsertRange(at, line.GetRange(at, length));
                    break;
                default:
                    line.Insert(at, (byte)Punctuation[random.Next(Punctuation.Length)]);
                    break;
            }
        }

        return [.. line.Where(b => b != (byte)'\n')];
    }

    private static long[] Bits(ReadOnlySpan<double> values)
    {
        var bits = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            bits[i] = BitConverter.DoubleToInt64Bits(values[i]);
        }

        return bits;
    }

    private static string Show(byte[] line) => Convert.ToHexString(line) + " (" + Encoding.UTF8.GetString(line) + ")";
}
