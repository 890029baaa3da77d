using BatchJob.Configuration;

namespace BatchJob.Tests.Configuration;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("250m", "0.25")]
    [InlineData("500m", "0.5")]
    [InlineData("0.5", "0.5")]
    [InlineData("2", "2")]
    [InlineData("1000m", "1")]
    [InlineData("512Mi", "536870912")]
    [InlineData("1Gi", "1073741824")]
    [InlineData("500M", "500000000")]
    [InlineData("128974848", "128974848")]
    [InlineData("129e6", "129000000")]
    [InlineData("1e3", "1000")]
    [InlineData("1.5Gi", "1610612736")]
    [InlineData("100k", "100000")]
    [InlineData("+1Ki", "1024")]
    public void Parses_Kubernetes_quantities_exactly(string text, string expected)
    {
        Quantity.TryParse(text, out var value).Should().BeTrue();
        value.Should().Be(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>What each suffix means in Kubernetes, written out independently of the parser's table.</summary>
    private static readonly Dictionary<string, decimal> KubernetesSuffixes = new(StringComparer.Ordinal)
    {
        ["n"] = 0.000000001m, ["u"] = 0.000001m, ["m"] = 0.001m,
        ["k"] = 1_000m, ["M"] = 1_000_000m, ["G"] = 1_000_000_000m, ["T"] = 1_000_000_000_000m,
        ["P"] = 1_000_000_000_000_000m, ["E"] = 1_000_000_000_000_000_000m,
        ["Ki"] = 1L << 10, ["Mi"] = 1L << 20, ["Gi"] = 1L << 30, ["Ti"] = 1L << 40, ["Pi"] = 1L << 50, ["Ei"] = 1L << 60,
    };

    /// <summary>Every suffix the configuration error message lists as allowed.</summary>
    public static TheoryData<string> ListedSuffixes
    {
        get
        {
            var list = Quantity.Syntax[(Quantity.Syntax.IndexOf('(', StringComparison.Ordinal) + 1)..Quantity.Syntax.IndexOf(')', StringComparison.Ordinal)];
            return new TheoryData<string>(list.Split(", "));
        }
    }

    [Fact]
    public void The_message_lists_every_Kubernetes_suffix() =>
        ListedSuffixes.Select(static (object[] row) => (string)row[0]).Should().BeEquivalentTo(KubernetesSuffixes.Keys);

    [Theory]
    [MemberData(nameof(ListedSuffixes))]
    public void Every_listed_suffix_parses_to_its_Kubernetes_value(string suffix)
    {
        var factor = KubernetesSuffixes[suffix];
        foreach (var (number, multiplier) in new[] { ("1", 1m), ("1.5", 1.5m), ("+2", 2m), ("0.25", 0.25m) })
        {
            Quantity.TryParse(number + suffix, out var value).Should().BeTrue(number + suffix);
            value.Should().Be(multiplier * factor, number + suffix);
        }
    }

    [Theory]
    [MemberData(nameof(ListedSuffixes))]
    public void MEMORY_LIMIT_and_CPU_LIMIT_accept_every_listed_suffix_the_amount_allows(string suffix)
    {
        var text = "1" + suffix;
        var factor = KubernetesSuffixes[suffix];

        var cpu = TestConfig.Read(new Dictionary<string, string?> { ["CPU_REQUEST"] = text, ["CPU_LIMIT"] = text });
        cpu.Cost.CpuLimitCores.Should().Be(factor);
        if (factor >= 1024 * 1024)
        {
            var memory = TestConfig.Read(new Dictionary<string, string?> { ["MEMORY_REQUEST"] = text, ["MEMORY_LIMIT"] = text });
            memory.Cost.MemoryLimitBytes.Should().Be(factor);
        }
        else
        {
            TestConfig.Errors(new Dictionary<string, string?> { ["MEMORY_REQUEST"] = text, ["MEMORY_LIMIT"] = text })
                .Should().ContainMatch($"MEMORY_LIMIT='{text}' is not valid: expected at least 1Mi*");
        }
    }

    [Theory]
    [InlineData("1E3", "1000")]
    [InlineData("1e+3", "1000")]
    [InlineData("5e-3", "0.005")]
    [InlineData("2E", "2000000000000000000")]
    [InlineData("7Ei", "8070450532247928832")]
    public void An_E_is_an_exponent_only_when_a_number_follows_it(string text, string expected)
    {
        Quantity.TryParse(text, out var value).Should().BeTrue();
        value.Should().Be(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 250m")]
    [InlineData("250 m")]
    [InlineData("250mi")]
    [InlineData("512MB")]
    [InlineData("1GiB")]
    [InlineData("m")]
    [InlineData("1,5")]
    [InlineData("0x10")]
    [InlineData("1.2.3")]
    [InlineData("1-2")]
    [InlineData("500m # limit")]
    [InlineData("1e99")]
    [InlineData("1e")]
    [InlineData("1Eii")]
    [InlineData("1iE")]
    [InlineData("1E 3")]
    [InlineData("1e3Mi")]
    [InlineData("1Mie3")]
    [InlineData("99999999999999Ei")]
    [InlineData("Ei")]
    public void Rejects_what_Kubernetes_rejects(string text) =>
        Quantity.TryParse(text, out _).Should().BeFalse();
}
