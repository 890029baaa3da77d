using BatchJob.Configuration;
using OpenTelemetry.Exporter;

namespace BatchJob.Tests.Configuration;

public sealed class OptionsReaderTests
{
    [Fact]
    public void Defaults_run_the_bundled_sample_against_a_local_collector()
    {
        var options = TestConfig.Read();

        options.InputPath.Should().Be(Path.Combine(AppContext.BaseDirectory, "data", "input.jsonl"));
        File.Exists(options.InputPath).Should().BeTrue();
        options.OutputPath.Should().BeNull();
        options.Telemetry.Endpoint.Should().Be(new Uri("http://localhost:4317"));
        options.Telemetry.Protocol.Should().Be(OtlpExportProtocol.Grpc);
        options.Telemetry.ServiceName.Should().Be("batch-inference-service");
        options.Cost.CpuPerHour.Should().Be(0.04m);
        options.Cost.MemoryGbPerHour.Should().Be(0.005m);
        options.Cost.TargetPerRecord.Should().Be(0.0001m);
        options.Cost.CpuLimitCores.Should().Be(0.5m);
        options.Cost.MemoryLimitBytes.Should().Be(512m * 1024 * 1024);
        options.Cost.CpuRequestCores.Should().Be(0.25m);
        options.Cost.MemoryRequestBytes.Should().Be(256m * 1024 * 1024);
        options.LogFormat.Should().Be(LogFormat.Lab);
        options.MaxFailedRatio.Should().Be(0.1);
        options.MaxLineBytes.Should().Be(1024 * 1024);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_naming_key_value_and_what_is_allowed()
    {
        var errors = TestConfig.Errors(new Dictionary<string, string?>
        {
            ["CPU_LIMIT"] = "half",
            ["MEMORY_LIMIT"] = "512",
            ["COST_PER_CPU_HOUR"] = "-1",
            ["BATCH_SIZE"] = "0",
            ["ENABLE_TELEMETRY"] = "yes",
            ["OTEL_TRACES_EXPORTER"] = "jaeger",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "otel-collector-paid:4317",
            ["LOG_FORMAT"] = "xml",
            ["MAX_FAILED_RATIO"] = "1.5",
        });

        errors.Should().HaveCount(9);
        errors.Should().ContainMatch("CPU_LIMIT='half' is not valid: expected a positive CPU amount as a Kubernetes quantity*");
        errors.Should().ContainMatch("MEMORY_LIMIT='512' is not valid: expected at least 1Mi*write 512Mi, not 512*");
        errors.Should().ContainMatch("COST_PER_CPU_HOUR='-1' is not valid: expected a non-negative amount*");
        errors.Should().ContainMatch("BATCH_SIZE='0' is not valid: expected a whole number from 1 to *");
        errors.Should().ContainMatch("ENABLE_TELEMETRY='yes' is not valid: expected true or false.");
        errors.Should().ContainMatch("OTEL_TRACES_EXPORTER='jaeger' is not valid: expected one of otlp, none.");
        errors.Should().ContainMatch("OTEL_EXPORTER_OTLP_ENDPOINT='otel-collector-paid:4317' is not valid: expected an absolute http:// or https:// URL*");
        errors.Should().ContainMatch("LOG_FORMAT='xml' is not valid: expected one of lab, clef.");
        errors.Should().ContainMatch("MAX_FAILED_RATIO='1.5' is not valid: expected a number from 0 to 1.");
    }

    [Fact]
    public void A_request_above_its_limit_is_rejected_as_Kubernetes_would()
    {
        var errors = TestConfig.Errors(new Dictionary<string, string?> { ["CPU_REQUEST"] = "1", ["MEMORY_REQUEST"] = "1Gi" });

        errors.Should().HaveCount(2);
        errors[0].Should().StartWith("CPU_REQUEST='1' is not valid: expected at most CPU_LIMIT (500m)");
        errors[1].Should().StartWith("MEMORY_REQUEST='1Gi' is not valid: expected at most MEMORY_LIMIT (512Mi)");
    }

    [Fact]
    public void A_trailing_comment_on_a_value_line_is_caught_not_silently_misread()
    {
        // kubectl create configmap --from-env-file and docker --env-file keep "# ..." in the value.
        TestConfig.Errors(new Dictionary<string, string?> { ["COST_PER_CPU_HOUR"] = "0.04        # $0.04 per CPU-hour" })
            .Should().ContainSingle().Which.Should().StartWith("COST_PER_CPU_HOUR='0.04        # $0.04 per CPU-hour' is not valid");
    }

    [Fact]
    public void Missing_input_is_a_configuration_error_before_any_record_is_read()
    {
        TestConfig.Errors(new Dictionary<string, string?> { ["INPUT_PATH"] = "no/such/file.jsonl" })
            .Should().ContainSingle().Which.Should().Be("INPUT_PATH='no/such/file.jsonl' is not valid: expected an existing, readable JSON Lines file (empty means the bundled sample).");
    }

    [Fact]
    public void Relative_paths_resolve_against_the_working_directory()
    {
        var dir = Directory.CreateTempSubdirectory("batchjob-wd-").FullName;
        File.WriteAllText(Path.Combine(dir, "in.jsonl"), "{\"id\": 1, \"features\": [1]}\n");

        var options = TestConfig.Read(new Dictionary<string, string?> { ["INPUT_PATH"] = "in.jsonl", ["OUTPUT_PATH"] = "out.jsonl" }, workingDirectory: dir);

        options.InputPath.Should().Be(Path.Combine(dir, "in.jsonl"));
        options.OutputPath.Should().Be(Path.Combine(dir, "out.jsonl"));
    }

    [Fact]
    public void Resource_attributes_and_trace_parent_are_read_and_checked()
    {
        var options = TestConfig.Read(new Dictionary<string, string?>
        {
            ["OTEL_RESOURCE_ATTRIBUTES"] = "team=ml, k8s.pod.name=batch-1,note=a%20b",
            ["TRACEPARENT"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        });

        options.Telemetry.ResourceAttributes.Should().Equal(
            new KeyValuePair<string, object>("team", "ml"),
            new KeyValuePair<string, object>("k8s.pod.name", "batch-1"),
            new KeyValuePair<string, object>("note", "a b"));
        options.Telemetry.RemoteParent.TraceId.ToHexString().Should().Be("0af7651916cd43dd8448eb211c80319c");
        options.Telemetry.RemoteParent.SpanId.ToHexString().Should().Be("b7ad6b7169203331");
        options.Telemetry.RemoteParent.TraceFlags.Should().Be(System.Diagnostics.ActivityTraceFlags.Recorded);
        options.Telemetry.RemoteParent.IsRemote.Should().BeTrue();

        TestConfig.Errors(new Dictionary<string, string?> { ["TRACEPARENT"] = "00-xyz" })
            .Should().ContainSingle().Which.Should().StartWith("TRACEPARENT='00-xyz' is not valid: expected a W3C traceparent");
    }

    [Theory]
    [InlineData("/proc/predictions.jsonl")]
    [InlineData("/no/such/folder/predictions.jsonl")]
    [InlineData("/tmp")]
    public void An_output_path_that_cannot_be_written_is_a_configuration_error(string path) =>
        TestConfig.Errors(new Dictionary<string, string?> { ["OUTPUT_PATH"] = path })
            .Should().ContainSingle().Which.Should().StartWith($"OUTPUT_PATH='{path}' is not valid: expected a file path in a writable folder (");

    [Fact]
    public void An_unknown_sampler_is_named_as_written_with_the_standard_choices()
    {
        TestConfig.Errors(new Dictionary<string, string?> { ["OTEL_TRACES_SAMPLER"] = "Jaeger_Remote" })
            .Should().ContainSingle().Which.Should().Be(
                "OTEL_TRACES_SAMPLER='Jaeger_Remote' is not valid: expected one of parentbased_always_on, parentbased_always_off, parentbased_traceidratio, always_on, always_off, traceidratio.");
        TestConfig.Read(new Dictionary<string, string?> { ["OTEL_TRACES_SAMPLER"] = "TraceIdRatio", ["OTEL_TRACES_SAMPLER_ARG"] = "0.25" })
            .Telemetry.Sampler.Should().Be(new SamplerOptions(SamplerRoot.TraceIdRatio, 0.25, ParentBased: false));
    }
}
