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
    public void Rejects_what_Kubernetes_rejects(string text) =>
        Quantity.TryParse(text, out _).Should().BeFalse();
}
