using System.Text.Json;
using BatchJob.Json;
using BatchJob.Logging;
using BatchJob.Processing;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Processing;

/// <summary>
/// Issue 21, #1-#3: aggregates of records near the double range. Each record is fine, so every
/// mean must be a number (not null, not "Infinity", not <c>Infinity.0</c>) on stdout in both
/// formats and in the predictions file, and every line must stay JSON.
/// </summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class OverflowingAggregateTests
{
    public static TheoryData<string, string, double> Runs()
    {
        var data = new TheoryData<string, string, double>();
        foreach (var format in new[] { "lab", "clef" })
        {
            data.Add(format, "1e308|1e308", 1e308);
            data.Add(format, "-1e308|-1e308", -1e308);
            data.Add(format, "1e308|1e308|-1e308", 1e308 / 3);
            data.Add(format, "-1.7976931348623157e308|-1.7976931348623157e308|1e308|1e308", -3.9884656743115785e307);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void A_mean_of_huge_records_is_a_number_on_stdout_and_in_the_predictions_file(string format, string predictions, double expectedMean)
    {
        var values = predictions.Split('|');
        var input = InProcessRun.TempInput(string.Concat(values.Select((v, i) => $"{{\"id\": {i + 1}, \"features\": [{v}]}}\n")));
        var output = Path.Combine(Directory.CreateTempSubdirectory("batchjob-overflow-").FullName, "predictions.jsonl");

        // InProcessRun parses every stdout line with System.Text.Json.
        var (code, lines, stdout) = InProcessRun.Run(new Dictionary<string, string?>
        {
            ["INPUT_PATH"] = input,
            ["OUTPUT_PATH"] = output,
            ["LOG_FORMAT"] = format,
        });

        code.Should().Be(ExitCode.Success, stdout);
        var completed = lines.Single(l => (l.TryGetProperty("message", out var m) ? m : l.GetProperty("@mt")).GetString() == "Batch job completed");
        var summary = completed.GetProperty("summary");
        summary.GetProperty("avg_prediction").ValueKind.Should().Be(JsonValueKind.Number, stdout);
        summary.GetProperty("avg_prediction").GetDouble().Should().BeApproximately(expectedMean, Math.Abs(expectedMean) * 1e-15);
        foreach (var field in new[] { "total_latency_ms", "avg_latency_ms", "total_cost_usd", "cost_per_record_usd" })
        {
            summary.GetProperty(field).ValueKind.Should().Be(JsonValueKind.Number, field);
        }

        var file = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        file.Should().HaveCount(values.Length + 1);
        file[^1].GetProperty("summary").GetProperty("avg_prediction").GetDouble().Should().BeApproximately(expectedMean, Math.Abs(expectedMean) * 1e-15);
    }

    [Theory]
    [InlineData(new[] { 1e308, 1e308 }, 1e308, 1e308)]
    [InlineData(new[] { -1e308, -1e308 }, -1e308, 1e308)]
    [InlineData(new[] { double.MaxValue, double.MaxValue, double.MaxValue }, double.MaxValue, double.MaxValue)]
    [InlineData(new[] { -double.MaxValue, -double.MaxValue, 1.0 }, -double.MaxValue * (2.0 / 3), double.MaxValue * (2.0 / 3))]
    [InlineData(new[] { 1e308, 1e308, -1e308, -1e308 }, 0.0, 1e308)]
    [InlineData(new[] { 6.0, 15.0 }, 10.5, 10.5)]
    public void Every_mean_of_the_summary_stays_finite(double[] values, double expected, double magnitude)
    {
        var statistics = new BatchStatistics();
        foreach (var value in values)
        {
            // The same huge value as prediction, latency and cost: each aggregate is checked.
            statistics.AddSuccess(value, Math.Abs(value), Math.Abs(value));
        }

        var summary = statistics.ToSummary(costTracking: true, cpuUtilization: 0, memoryUsedMiB: 0, elapsedMs: 0, interrupted: false);

        summary.AvgPrediction.Should().BeApproximately(expected, Math.Abs(expected) * 1e-15 + 1e-300);
        summary.AvgLatencyMs.Should().BeApproximately(magnitude, magnitude * 1e-15);
        summary.CostPerRecordUsd.Should().BeApproximately(magnitude, magnitude * 1e-15);
    }

    [Fact]
    public void A_sum_that_stays_in_range_is_the_plain_sum_bit_for_bit()
    {
        var values = new[] { 0.1, 0.2, 0.3, 1e-300, 12345.678, -3.5 };
        var sum = new ScaledSum();
        var plain = 0.0;
        foreach (var value in values)
        {
            sum.Add(value);
            plain += value;
        }

        sum.Total.Should().Be(plain);
        sum.Mean(values.Length).Should().Be(plain / values.Length);
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.NaN)]
    public void Every_json_number_writer_refuses_a_non_finite_value_naming_the_field(double value)
    {
        Action format = () => JsonNumbers.Format(value, new byte[40], "avg_prediction");
        format.Should().Throw<InvalidOperationException>().WithMessage("*avg_prediction*");

        using var writer = new Utf8JsonWriter(new MemoryStream());
        writer.WriteStartObject();
        writer.WritePropertyName("x");
        Action write = () => JsonNumbers.WriteDouble(writer, value, "x");
        write.Should().Throw<InvalidOperationException>().WithMessage("*'x'*");

        var line = new LogLine();
        line.Start(DateTime.UnixEpoch, Microsoft.Extensions.Logging.LogLevel.Information, "m", span: null);
        line.Add(LogField.Object("summary", [LogField.Of("avg_prediction", value)]));
        using var labLayout = new LabJsonLayout();
        Action lab = () => labLayout.Write(line, new System.Buffers.ArrayBufferWriter<byte>());
        lab.Should().Throw<InvalidOperationException>().WithMessage("*avg_prediction*");
        Action clef = () => new ClefLayout().Write(line, new System.Buffers.ArrayBufferWriter<byte>());
        clef.Should().Throw<InvalidOperationException>().WithMessage("*avg_prediction*");

        var path = Path.Combine(Directory.CreateTempSubdirectory("batchjob-nonfinite-").FullName, "p.jsonl");
        using var predictions = new BatchJob.Output.PredictionWriter(path);
        Action publish = () => predictions.Publish(1, value, interrupted: false);
        publish.Should().Throw<InvalidOperationException>().WithMessage("*avg_prediction*");
    }
}
