using System.Text;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Processing;

[Collection(WorkerSourceListeners.Name)]
public sealed class BatchApplicationTests
{
    [Fact]
    public void Summary_arithmetic_over_a_known_batch()
    {
        var input = InProcessRun.TempInput("{\"id\": 1, \"features\": [1.0, 2.0, 3.0]}\n\n{\"id\": 2, \"features\": [4.0, 5.0, 6.0]}\n{\"id\": 3, \"features\": [0.5]}\r\n   \n");

        var (code, lines, _) = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = input });

        code.Should().Be(ExitCode.Success);
        var records = lines.WithMessage("Record processed").ToList();
        records.Select(r => r.GetProperty("prediction").GetDouble()).Should().Equal(6.0, 15.0, 0.5);
        var latencies = records.Select(r => r.GetProperty("latency_ms").GetDouble()).ToList();
        var costs = records.Select(r => r.GetProperty("cost_usd").GetDouble()).ToList();
        var summary = lines.WithMessage("Batch job completed").Single().GetProperty("summary");
        summary.GetProperty("total_records").GetInt64().Should().Be(3);
        summary.GetProperty("successful").GetInt64().Should().Be(3);
        summary.GetProperty("failed").GetInt64().Should().Be(0);
        summary.GetProperty("blank_lines").GetInt64().Should().Be(2);
        summary.GetProperty("avg_prediction").GetDouble().Should().Be(21.5 / 3);
        summary.GetProperty("total_latency_ms").GetDouble().Should().BeApproximately(latencies.Sum(), 1e-4);
        summary.GetProperty("avg_latency_ms").GetDouble().Should().BeApproximately(latencies.Average(), 1e-4);
        summary.GetProperty("total_cost_usd").GetDouble().Should().BeApproximately(costs.Sum(), costs.Sum() * 1e-12);
        summary.GetProperty("cost_per_record_usd").GetDouble().Should().BeApproximately(costs.Sum() / 3, costs.Sum() * 1e-12);
        summary.GetProperty("cpu_utilization").GetDouble().Should().BePositive();
        summary.GetProperty("memory_used_mb").GetDouble().Should().BeGreaterThan(10);
        summary.GetProperty("interrupted").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public void Sample_predictions_file_matches_the_free_guide_and_no_temp_file_is_left()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("batchjob-out-").FullName, "predictions.jsonl");

        var (code, _, _) = InProcessRun.Run(new Dictionary<string, string?> { ["OUTPUT_PATH"] = output });

        code.Should().Be(ExitCode.Success);
        File.ReadAllText(output).Should().Be(
            "{\"id\": 1, \"prediction\": 6.0}\n{\"id\": 2, \"prediction\": 15.0}\n{\"summary\": {\"records\": 2, \"avg_prediction\": 10.5}}\n");
        Directory.GetFiles(Path.GetDirectoryName(output)!).Should().ContainSingle();
    }

    [Fact]
    public void Invalid_configuration_exits_2_with_one_error_line_listing_every_problem_and_reads_nothing()
    {
        var (code, lines, _) = InProcessRun.Run(new Dictionary<string, string?> { ["CPU_LIMIT"] = "lots", ["BATCH_SIZE"] = "-1" });

        code.Should().Be(ExitCode.InvalidConfiguration);
        var line = lines.Should().ContainSingle().Subject;
        line.GetProperty("level").GetString().Should().Be("ERROR");
        line.GetProperty("message").GetString().Should().Be("Invalid configuration");
        line.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).Should().HaveCount(2)
            .And.Contain(e => e!.StartsWith("CPU_LIMIT='lots'", StringComparison.Ordinal))
            .And.Contain(e => e!.StartsWith("BATCH_SIZE='-1'", StringComparison.Ordinal));
    }

    [Fact]
    public void Help_prints_usage_and_exits_0()
    {
        var stdout = new MemoryStream();

        var code = BatchApplication.Run(["--help"], stdout, Path.GetTempPath(), new Dictionary<string, string?>(), CancellationToken.None);

        code.Should().Be(ExitCode.Success);
        Encoding.UTF8.GetString(stdout.ToArray()).Should().Contain("Usage: BatchJob").And.Contain("--input PATH").And.Contain("143 interrupted");
    }

    [Fact]
    public void Clef_format_is_selectable()
    {
        var (code, lines, _) = InProcessRun.Run(new Dictionary<string, string?> { ["LOG_FORMAT"] = "clef" });

        code.Should().Be(ExitCode.Success);
        lines.Should().NotBeEmpty();
        lines.All(l => l.TryGetProperty("@t", out var _) && l.TryGetProperty("@mt", out var _)).Should().BeTrue();
        lines.Count(l => l.GetProperty("@mt").GetString() == "Record processed").Should().Be(2);
    }

    [Fact]
    public void A_cost_per_record_above_target_is_a_warning_not_a_failure()
    {
        var (code, lines, _) = InProcessRun.Run(new Dictionary<string, string?> { ["COST_PER_RECORD_TARGET"] = "0", ["CPU_BURN_MS"] = "1" });

        code.Should().Be(ExitCode.Success);
        var warning = lines.WithMessage("Cost per record above target").Single();
        warning.GetProperty("level").GetString().Should().Be("WARN");
        warning.GetProperty("cost_per_record_usd").GetDouble().Should().BePositive();
    }

    [Fact]
    public void Simulated_model_work_shows_in_latency_and_cost()
    {
        var input = InProcessRun.TempInput(string.Concat(Enumerable.Range(1, 5).Select(i => $"{{\"id\": {i}, \"features\": [{i}]}}\n")));

        // CPU_BURN_MS is a calibrated amount of CPU work, not a wall-clock spin, so a record may
        // take a little less than 20 ms, or much more on a busy machine: compare with a control run
        // without it rather than with a floor. Five records, so one preempted control record
        // cannot decide it.
        var control = Records(input, cpuBurnMs: "0");
        var burned = Records(input, cpuBurnMs: "20");

        var controlMedian = control.Select(r => r.LatencyMs).Order().ElementAt(control.Count / 2);
        burned.Should().HaveCount(5).And.OnlyContain(r => r.LatencyMs > controlMedian, $"the work is inside the timed region (control median {controlMedian} ms)");
        burned.Sum(r => r.CostUsd).Should().BeGreaterThan(control.Sum(r => r.CostUsd));
        foreach (var (latencyMs, costUsd) in control.Concat(burned))
        {
            // The guide's formula on the printed latency, with the default 500m CPU and 512Mi limits.
            var expected = ((0.5 * 0.04) + (0.5 * 0.005)) * (latencyMs / 1000) / 3600;
            costUsd.Should().BeApproximately(expected, expected * 1e-12);
        }
    }

    private static List<(double LatencyMs, double CostUsd)> Records(string input, string cpuBurnMs)
    {
        var (code, lines, stdout) = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = input, ["CPU_BURN_MS"] = cpuBurnMs });
        code.Should().Be(ExitCode.Success, stdout);
        return [.. lines.WithMessage("Record processed").Select(r => (r.GetProperty("latency_ms").GetDouble(), r.GetProperty("cost_usd").GetDouble()))];
    }

    [Fact]
    public void Per_record_lines_can_be_turned_off()
    {
        var (code, lines, _) = InProcessRun.Run(new Dictionary<string, string?> { ["LOG_RECORDS"] = "false" });

        code.Should().Be(ExitCode.Success);
        lines.WithMessage("Record processed").Should().BeEmpty();
        lines.WithMessage("Batch job completed").Single().GetProperty("summary").GetProperty("successful").GetInt64().Should().Be(2);
    }

    [Fact]
    public void Exporters_set_to_none_keep_trace_ids_in_the_logs_and_report_no_loss()
    {
        var (code, lines, stdout) = InProcessRun.Run(new Dictionary<string, string?>
        {
            ["ENABLE_TELEMETRY"] = "true",
            ["OTEL_TRACES_EXPORTER"] = "none",
            ["OTEL_METRICS_EXPORTER"] = "none",
            ["OTEL_LOGS_EXPORTER"] = "none",
        });

        code.Should().Be(ExitCode.Success);
        var init = lines.WithMessage("Initializing OpenTelemetry").Single();
        init.GetProperty("traces").GetBoolean().Should().BeFalse();
        init.GetProperty("metrics").GetBoolean().Should().BeFalse();
        init.GetProperty("logs").GetBoolean().Should().BeFalse();
        lines.WithMessage("Record processed").Should().HaveCount(2)
            .And.OnlyContain(r => r.GetProperty("trace_id").GetString()!.Length == 32);
        lines.Should().NotContain(l => l.GetProperty("level").GetString() == "WARN", stdout);
    }

    [Fact]
    public void Telemetry_disabled_says_so_and_logs_no_trace_ids()
    {
        var (code, lines, _) = InProcessRun.Run(new Dictionary<string, string?> { ["ENABLE_TELEMETRY"] = "false" });

        code.Should().Be(ExitCode.Success);
        lines[0].GetProperty("message").GetString().Should().Be("Telemetry disabled");
        var records = lines.WithMessage("Record processed").ToList();
        records.Should().HaveCount(2);
        records.Any(r => r.TryGetProperty("trace_id", out var _)).Should().BeFalse();
    }
}
