using System.Text;
using System.Text.Json;
using BatchJob.Configuration;
using BatchJob.Logging;
using BatchJob.Telemetry;
using BatchJob.Tests.Configuration;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Logging;

/// <summary>An endpoint with <c>user:password@</c> is never logged with them: not at start, not in the WARN, not in a configuration error.</summary>
public sealed class EndpointRedactionTests
{
    private const string Secret = "s3cret-pw";

    [Theory]
    [InlineData("http://user:s3cret-pw@collector:4317", "http://***@collector:4317")]
    [InlineData("https://s3cret-pw@collector:4318/base/", "https://***@collector:4318/base/")]
    [InlineData("http://user:s3cret-pw@10.0.0.1:4317/v1?x=1#f", "http://***@10.0.0.1:4317/v1?x=1#f")]
    [InlineData("http://user:p@ss/s3cret-pw@collector:4317", "http://***@collector:4317")]
    [InlineData("http://user%40corp:s3cret-pw@[::1]:4317", "http://***@[::1]:4317")]
    [InlineData("user:s3cret-pw@collector:4317", "***@collector:4317")]
    [InlineData("http://collector:4317", "http://collector:4317")]
    [InlineData("http://collector:4317/?to=a@b", "http://collector:4317/?to=a@b")]
    [InlineData("", "")]
    public void Userinfo_is_masked_and_nothing_else_changes(string url, string expected) =>
        UrlUserinfo.Redact(url).Should().Be(expected);

    [Fact]
    public void The_start_line_and_the_delivery_WARN_name_the_endpoint_without_credentials()
    {
        var endpoint = new Uri($"http://lab:{Secret}@collector:4317");
        var text = LogCapture.Render(LogFormat.Lab, log =>
        {
            log.TelemetryInitializing("svc", endpoint, "grpc", traces: true, metrics: true, logs: true);
            log.TelemetryNotDelivered(endpoint, new TelemetryDelivery(new SignalDelivery(6, 0, 6), FlushedInTime: true, MetricsDelivered: false));
        });

        text.Should().NotContain(Secret).And.NotContain("lab:");
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("endpoint").GetString())
            .Should().Equal("http://***@collector:4317", "http://***@collector:4317");
    }

    [Fact]
    public void A_rejected_endpoint_is_quoted_without_credentials()
    {
        var errors = TestConfig.Errors(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"ftp://lab:{Secret}@collector:4317" });

        errors.Should().ContainSingle().Which.Should().StartWith("OTEL_EXPORTER_OTLP_ENDPOINT='ftp://***@collector:4317' is not valid").And.NotContain(Secret);
    }

    [Fact]
    public void A_whole_run_to_an_endpoint_with_credentials_never_prints_them()
    {
        var (code, lines, stdout) = InProcessRun.Run(new Dictionary<string, string?>
        {
            ["ENABLE_TELEMETRY"] = "true",
            // Nothing listens on port 9: the start line and the delivery WARN both name the endpoint.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://lab:{Secret}@127.0.0.1:9",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "disabled",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "1000",
            ["TELEMETRY_FLUSH_TIMEOUT_MS"] = "2000",
        });

        code.Should().Be(ExitCode.Success, stdout);
        stdout.Should().NotContain(Secret);
        lines.WithMessage("Initializing OpenTelemetry").Single().GetProperty("endpoint").GetString().Should().Be("http://***@127.0.0.1:9");
        lines.WithMessage("Telemetry not fully delivered").Single().GetProperty("endpoint").GetString().Should().Be("http://***@127.0.0.1:9");
    }
}
