using System.Text;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Processing;

/// <summary>Dirty input: every line is accounted for, nothing crashes, the verdict follows MAX_FAILED_RATIO.</summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class BadInputTests
{
    private static readonly string[] MixedLines =
    [
        "{\"id\": 1, \"features\": [1.0, 2.0, 3.0]}",
        "{\"id\": 2, \"features\": [1, 2",
        "",
        "{\"id\": 3, \"features\": [\"a\"]}",
        "{\"features\": [1]}",
        "{\"id\": 5, \"features\": [1e308, 1e308]}",
        "{\"id\": 6, \"features\": [4.0, 5.0, 6.0]} extra",
        "{\"id\": 7, \"features\": [[1]]}",
        "\t ",
        "{\"id\": 8, \"features\": [2.5]}",
        "[]",
    ];

    [Fact]
    public void A_file_mixing_bad_kinds_with_good_records_accounts_for_every_line()
    {
        var input = InProcessRun.TempInput(string.Join("\r\n", MixedLines));

        var (code, lines, _) = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = input });

        code.Should().Be(ExitCode.TooManyFailedRecords);
        lines.WithMessage("Record processed").Select(r => (r.GetProperty("id").GetInt64(), r.GetProperty("prediction").GetDouble()))
            .Should().Equal((1L, 6.0), (8L, 2.5));
        var failures = lines.WithMessage("Record failed").ToList();
        failures.Select(f => f.GetProperty("line").GetInt64()).Should().Equal(2, 4, 5, 6, 7, 8, 11);
        failures.Select(f => f.GetProperty("error").GetString()).Should().SatisfyRespectively(
            e => e.Should().StartWith("invalid JSON:"),
            e => e.Should().Be("features[0] must be a number, got a string"),
            e => e.Should().Be("missing \"id\""),
            e => e.Should().Be("the sum of the features overflows a double"),
            e => e.Should().StartWith("invalid JSON:"),
            e => e.Should().Be("features[0] must be a number, got an array"),
            e => e.Should().StartWith("a record must be a JSON object"));
        var summary = lines.WithMessage("Batch job completed").Single().GetProperty("summary");
        summary.GetProperty("successful").GetInt64().Should().Be(2);
        summary.GetProperty("failed").GetInt64().Should().Be(7);
        summary.GetProperty("blank_lines").GetInt64().Should().Be(2);
        summary.GetProperty("avg_prediction").GetDouble().Should().Be(4.25);
        var verdict = lines.WithMessage("Too many failed records").Single();
        verdict.GetProperty("failed_ratio").GetDouble().Should().BeApproximately(7.0 / 9, 1e-12);
        lines[^1].GetProperty("message").GetString().Should().Be("Too many failed records", "the verdict is the last word");
    }

    [Theory]
    [InlineData("0.5", (int)ExitCode.TooManyFailedRecords)]
    [InlineData("0.78", (int)ExitCode.Success)]
    [InlineData("1", (int)ExitCode.Success)]
    public void The_failed_ratio_threshold_decides_the_exit_code(string maxRatio, int expected)
    {
        var input = InProcessRun.TempInput(string.Join("\n", MixedLines));

        InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = input, ["MAX_FAILED_RATIO"] = maxRatio }).Code.Should().Be((ExitCode)expected);
    }

    [Fact]
    public void Over_long_lines_fail_alone_with_their_line_number()
    {
        var input = InProcessRun.TempInput("{\"id\": 1, \"features\": [1]}\n{\"id\": 2, \"features\": [" + string.Join(",", Enumerable.Repeat("1", 500)) + "]}\n{\"id\": 3, \"features\": [3]}");

        var (_, lines, _) = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = input, ["MAX_LINE_BYTES"] = "256", ["MAX_FAILED_RATIO"] = "1" });

        lines.WithMessage("Record failed").Single().GetProperty("error").GetString().Should().Be("line is longer than MAX_LINE_BYTES (256 bytes)");
        lines.WithMessage("Record failed").Single().GetProperty("line").GetInt64().Should().Be(2);
        lines.WithMessage("Record processed").Select(r => r.GetProperty("id").GetInt64()).Should().Equal(1, 3);
    }

    [Fact]
    public void An_empty_input_is_a_successful_batch_of_zero()
    {
        var (code, lines, _) = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = InProcessRun.TempInput("") });

        code.Should().Be(ExitCode.Success);
        var summary = lines.WithMessage("Batch job completed").Single().GetProperty("summary");
        summary.GetProperty("total_records").GetInt64().Should().Be(0);
        summary.GetProperty("avg_prediction").GetDouble().Should().Be(0);
    }

    [Fact]
    public void Random_byte_lines_never_crash_the_worker_and_every_line_is_accounted_for()
    {
        var random = new Random(20261123);
        for (var round = 0; round < 25; round++)
        {
            var content = new List<byte>();
            var lineCount = random.Next(1, 60);
            for (var i = 0; i < lineCount; i++)
            {
                content.AddRange(RandomLine(random));
                content.Add((byte)'\n');
            }

            var input = content.ToArray();
            var expectedNonBlank = CountNonBlank(input);
            var (code, lines, stdout) = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = InProcessRun.TempInput(input), ["MAX_LINE_BYTES"] = "200" });

            code.Should().BeOneOf([ExitCode.Success, ExitCode.TooManyFailedRecords], stdout);
            var summary = lines.WithMessage("Batch job completed").Single().GetProperty("summary");
            var successful = summary.GetProperty("successful").GetInt64();
            var failed = summary.GetProperty("failed").GetInt64();
            (successful + failed).Should().Be(expectedNonBlank, $"round {round}: {stdout}");
            lines.WithMessage("Record processed").Count().Should().Be((int)successful);
            lines.WithMessage("Record failed").Count().Should().Be((int)failed);
        }
    }

    /// <summary>Counts lines with content, as the contract defines them: not empty or only spaces, tabs and CR; a leading BOM is not content.</summary>
    private static long CountNonBlank(byte[] input)
    {
        var span = input.AsSpan();
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }

        long count = 0;
        foreach (var range in span.Split((byte)'\n'))
        {
            if (span[range].IndexOfAnyExcept(" \t\r"u8) >= 0)
            {
                count++;
            }
        }

        return count;
    }

    private static byte[] RandomLine(Random random)
    {
        switch (random.Next(6))
        {
            case 0:
                return Encoding.UTF8.GetBytes($"{{\"id\": {random.Next()}, \"features\": [{random.NextDouble()}, {random.Next(-5, 5)}]}}");
            case 1:
                return [];
            case 2:
                return Encoding.UTF8.GetBytes(new string(' ', random.Next(4)) + "\r");
            case 3:
                // A valid record cut at a random point.
                var valid = Encoding.UTF8.GetBytes($"{{\"id\": {random.Next()}, \"features\": [1.5, 2.5, {random.Next()}]}}");
                return valid[..random.Next(valid.Length)];
            case 4:
                return Enumerable.Range(0, random.Next(300)).Select(_ => (byte)random.Next(1, 256)).Where(b => b != '\n').ToArray();
            default:
                var bytes = Encoding.UTF8.GetBytes($"{{\"id\": {random.Next()}, \"features\": [1, 2, 3]}}");
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes.Where(b => b != '\n').ToArray();
        }
    }
}
