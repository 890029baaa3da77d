using System.Diagnostics;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Otlp;

/// <summary>The resource the receiver sees on every span and metric: who sent them.</summary>
public sealed class OtlpResourceTests
{
    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task Resource_carries_the_service_name_process_attributes_and_OTEL_RESOURCE_ATTRIBUTES(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        _ = PublishedWorker.Executable;
        var clock = Stopwatch.StartNew();
        using var process = PublishedWorker.Start(OtlpRun.Environment(receiver, protocol,
            ("OTEL_SERVICE_NAME", "batch-inference-e2e"),
            ("APP_ENV", "ci"),
            ("OTEL_RESOURCE_ATTRIBUTES", "team=ml,lab.run=e2e%20one"),
            ("OTEL_LOGS_EXPORTER", "otlp")));
        var pid = (long)process.Id;
        var run = await PublishedWorker.CollectAsync(process, clock, TimeSpan.FromSeconds(60));

        run.ExitCode.Should().Be(0, run.ToString());
        var resources = receiver.Spans.Select(s => s.Resource).Concat(receiver.Metrics.Select(m => m.Resource)).Concat(receiver.Logs.Select(l => l.Resource)).ToList();
        resources.Should().HaveCountGreaterThan(6, "every span, metric and log record arrives with its resource");
        receiver.Logs.Should().NotBeEmpty();
        foreach (var resource in resources)
        {
            resource["service.name"].Should().Be("batch-inference-e2e");
            resource["service.version"].Should().BeOfType<string>().Which.Should().NotBeEmpty();
            resource["telemetry.sdk.name"].Should().Be("opentelemetry");
            resource["telemetry.sdk.language"].Should().Be("dotnet");
            resource["process.pid"].Should().Be(pid);
            resource["process.runtime.name"].Should().Be(".NET");
            resource["host.name"].Should().Be(Environment.MachineName);
            resource["deployment.environment.name"].Should().Be("ci");
            resource["team"].Should().Be("ml");
            resource["lab.run"].Should().Be("e2e one", "values are percent-decoded as the spec says");
        }
    }

    [Theory]
    [InlineData("from-service-name", "from-service-name")]
    [InlineData(null, "from-attributes")]
    public async Task The_service_name_follows_the_specification_order(string? serviceName, string expected)
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        var run = await OtlpRun.RunAsync(receiver, "grpc",
            ("OTEL_SERVICE_NAME", serviceName), ("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attributes,team=ml"));

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Initializing OpenTelemetry").Single().GetProperty("service").GetString().Should().Be(expected);
        var resources = receiver.Spans.Select(s => s.Resource).Concat(receiver.Metrics.Select(m => m.Resource)).ToList();
        resources.Should().NotBeEmpty().And.OnlyContain(r => Equals(r["service.name"], expected) && Equals(r["team"], "ml"));
    }

    [Theory]
    [MemberData(nameof(OtlpRun.Protocols), MemberType = typeof(OtlpRun))]
    public async Task OTEL_EXPORTER_OTLP_HEADERS_are_sent_with_every_export(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        var run = await OtlpRun.RunAsync(receiver, protocol, ("OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=lab%20secret,x-tenant=ml"), ("OTEL_LOGS_EXPORTER", "otlp"));

        run.ExitCode.Should().Be(0, run.ToString());
        receiver.RequestHeaders.Should().HaveCountGreaterThanOrEqualTo(3, "at least one trace, one metric and one log export");
        foreach (var headers in receiver.RequestHeaders)
        {
            headers["x-api-key"].Should().Be("lab secret");
            headers["x-tenant"].Should().Be("ml");
        }
    }
}
