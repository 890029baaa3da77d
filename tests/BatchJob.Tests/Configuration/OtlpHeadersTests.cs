namespace BatchJob.Tests.Configuration;

/// <summary>
/// Issue 21, #6: OTEL_EXPORTER_OTLP_HEADERS is checked at start as OpenTelemetry .NET 1.20.1 reads
/// it, so a bad one is a configuration error (exit 2) naming the key, never a crash in the SDK,
/// and no part of its value is ever printed.
/// </summary>
public sealed class OtlpHeadersTests
{
    [Theory]
    [InlineData("api-keySECRETpw9")] // the case: no '='
    [InlineData("x-api-key=SECRETpw9,,x-tenant=ml")] // an empty pair
    [InlineData("x-api-key=SECRETpw9,x-api-key=SECRETpw9")] // a key twice: the SDK's dictionary throws
    [InlineData("x-api-key=SECRET%2Cpw9")] // decoded before the split: "pw9" has no '='
    [InlineData("x api key=SECRETpw9")] // not a header name
    [InlineData("=SECRETpw9")]
    [InlineData("x-api-key=SECRET%0Apw9")] // a line break in the value
    [InlineData(" ")]
    [InlineData("SECRETpw9,x=y")]
    public void A_header_the_SDK_cannot_use_is_a_configuration_error_that_never_shows_the_value(string headers)
    {
        var errors = TestConfig.Errors(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_HEADERS"] = headers });

        var error = errors.Should().ContainSingle().Subject;
        error.Should().StartWith("OTEL_EXPORTER_OTLP_HEADERS (value not shown");
        error.Should().NotContain("SECRET").And.NotContain("pw9").And.NotContain("x api");
    }

    [Theory]
    [InlineData("")]
    [InlineData("x-api-key=abc123,x-tenant=ml")]
    [InlineData("x-api-key=lab%20secret,x-tenant=ml")]
    [InlineData(" x-api-key = abc ,")]
    [InlineData("Authorization=Bearer abc=def")]
    [InlineData("a=b,A=c")]
    public void Headers_the_SDK_accepts_pass(string headers)
    {
        var read = () => TestConfig.Read(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_HEADERS"] = headers });

        read.Should().NotThrow();
    }
}
