using System.Text;
using System.Text.Json;
using BatchJob.Configuration;
using BatchJob.Logging;
using BatchJob.Telemetry;
using BatchJob.Tests.Configuration;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Logging;

/// <summary>An endpoint with <c>user:password@</c> is never logged with them: not at start, not in the WARN, not in a configuration error.</summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class EndpointRedactionTests
{
    private const string Secret = "s3cret-pw";

    [Theory]
    [InlineData("http://user:s3cret-pw@collector:4317", "http://***@collector:4317")]
    [InlineData("https://s3cret-pw@collector:4318/base/", "https://***@collector:4318/base/")]
    [InlineData("http://user:s3cret-pw@10.0.0.1:4317/v1?x=1#f", "http://***@10.0.0.1:4317/v1?***")]
    [InlineData("http://user:p@ss/s3cret-pw@collector:4317", "http://***@collector:4317")]
    [InlineData("http://user%40corp:s3cret-pw@[::1]:4317", "http://***@[::1]:4317")]
    [InlineData("user:s3cret-pw@collector:4317", "***@collector:4317")]
    [InlineData("http://collector:4317", "http://collector:4317")]
    [InlineData("http://collector:4317/?to=a@b", "http://***@b")] // the '@' could be a password's: more hidden, never less
    [InlineData("", "")]
    public void Userinfo_is_masked_and_nothing_else_changes(string url, string expected) =>
        SecretMask.Url(url).Should().Be(expected);

    /// <summary>Hostile spellings: the secret holds the characters that end a URL part, or sits in the query.</summary>
    public static TheoryData<string, string> Hostile() => new()
    {
        { "http://alice:S3C#RETPW@127.0.0.1:9", "http://***@127.0.0.1:9" }, // the issue's case
        { "http://alice:S3C?RETPW@127.0.0.1:9", "http://***@127.0.0.1:9" },
        { "http://alice:S3C@RETPW@127.0.0.1:9", "http://***@127.0.0.1:9" },
        { "http://alice:S3C/RETPW@collector:4317/v1", "http://***@collector:4317/v1" },
        { "http://alice:S3C%23RETPW%40x@collector:4317", "http://***@collector:4317" },
        { "http://alice:S3C RETPW@collector", "http://***@collector" },
        { "HTTP://S3CRETPW@collector", "HTTP://***@collector" },
        { "://alice:S3CRETPW@collector", "://***@collector" },
        { ":S3CRETPW@", "***@" },
        { "http://alice:S3C#RET?PW@collector:4317?token=S3CRETPW", "http://***@collector:4317?***" },
        { "https://collector:4318/v1?token=S3CRETPW", "https://collector:4318/v1?***" },
        { "https://collector:4318/v1?a=1&api_key=S3CRETPW#frag", "https://collector:4318/v1?***" },
        { "https://collector:4318/#S3CRETPW", "https://collector:4318/#***" },
        { "collector:4317?S3CRETPW", "collector:4317?***" },
        { "http://alice:S3C\nRETPW@collector", "http://***@collector" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_spellings_never_show_the_secret(string url, string expected)
    {
        var masked = SecretMask.Url(url);

        masked.Should().Be(expected);
        masked.Should().NotContain("S3C").And.NotContain("RETPW");
    }

    [Theory]
    [InlineData("http://alice:S3C#RETPW@127.0.0.1:9")]
    [InlineData("http://alice:S3C?RETPW@127.0.0.1:9")]
    [InlineData("ftp://alice:S3C@RETPW@127.0.0.1:9")]
    [InlineData("http://alice:S3CRETPW@127.0.0.1:notaport?token=S3CRETPW")]
    [InlineData("collector:4317?token=S3CRETPW")]
    public void A_rejected_endpoint_never_reaches_stdout_with_its_secret(string endpoint)
    {
        var (code, lines, stdout) = InProcessRun.Run(new Dictionary<string, string?>
        {
            ["ENABLE_TELEMETRY"] = "true",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
        });

        code.Should().Be(ExitCode.InvalidConfiguration, stdout);
        lines.WithMessage("Invalid configuration").Single().GetProperty("errors")[0].GetString().Should().StartWith("OTEL_EXPORTER_OTLP_ENDPOINT='");
        stdout.Should().NotContain("S3C").And.NotContain("RETPW");
    }

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
        const string Token = "t0ken-in-query";
        var (code, lines, stdout) = InProcessRun.Run(new Dictionary<string, string?>
        {
            ["ENABLE_TELEMETRY"] = "true",
            // Nothing listens on port 9: the start line and the delivery WARN both name the endpoint.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://lab:{Secret}@127.0.0.1:9/?token={Token}",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "disabled",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "1000",
            ["TELEMETRY_FLUSH_TIMEOUT_MS"] = "2000",
        });

        code.Should().Be(ExitCode.Success, stdout);
        stdout.Should().NotContain(Secret).And.NotContain(Token);
        lines.WithMessage("Initializing OpenTelemetry").Single().GetProperty("endpoint").GetString().Should().Be("http://***@127.0.0.1:9/?***");
        lines.WithMessage("Telemetry not fully delivered").Single().GetProperty("endpoint").GetString().Should().Be("http://***@127.0.0.1:9/?***");
    }
}
