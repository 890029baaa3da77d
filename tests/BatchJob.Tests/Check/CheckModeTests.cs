using System.Text.Json;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Check;

/// <summary>
/// <c>--check</c>: the worker's own configuration reading and parser, run over the input without
/// running the batch. It lists exactly the lines a run rejects, exits as a run would (0, 2, 3), and
/// leaves the output folders exactly as it found them.
/// </summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class CheckModeTests
{
    private const string Input =
        "{\"id\": 1, \"features\": [1.0, 2.0]}\n" +
        "not json\n" +
        "\n" +
        "{\"id\": 3}\n" +
        "{\"id\": 4, \"features\": [1e308, 1e308]}\n" +
        "{\"id\": 5, \"features\": [4.0]}\n";

    [Fact]
    public void Lists_the_lines_a_run_rejects_by_number_and_kind_and_writes_nothing()
    {
        var input = InProcessRun.TempInput(Input);
        var folder = Directory.CreateTempSubdirectory("batchjob-check-").FullName;
        var env = new Dictionary<string, string?> { ["INPUT_PATH"] = input, ["MAX_FAILED_RATIO"] = "0.9", ["LOG_RECORDS"] = "false" };
        // {shard} in a folder name: a run would create it; the check must not.
        string[] args = ["--output", Path.Combine(folder, "s{shard}", "p.jsonl"), "--rejects", Path.Combine(folder, "r.jsonl")];

        var (code, lines, _) = InProcessRun.Run(env, ["--check", .. args]);

        code.Should().Be(ExitCode.Success);
        Directory.EnumerateFileSystemEntries(folder).Should().BeEmpty("--check writes nothing, not even a folder or a probe file");
        var check = lines.Should().ContainSingle().Which;
        check.GetProperty("message").GetString().Should().Be("Input checked");
        check.GetProperty("level").GetString().Should().Be("WARN");
        check.GetProperty("records").GetInt64().Should().Be(5);
        check.GetProperty("failed").GetInt64().Should().Be(3);
        var listed = check.GetProperty("bad_lines").EnumerateObject().ToDictionary(p => long.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture), p => p.Value.GetString());
        listed.Should().Equal(new Dictionary<long, string?> { [2] = "invalid_json", [4] = "invalid_record", [5] = "overflow" });

        // The same lines, and kinds, as the run's rejects file: one parser, one verdict.
        var run = InProcessRun.Run(env, args);
        run.Code.Should().Be(ExitCode.Success);
        var rejected = File.ReadLines(Path.Combine(folder, "r.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(r => r.GetProperty("line").GetInt64(), r => r.GetProperty("error").GetString());
        rejected.Should().Equal(listed);
    }

    [Fact]
    public void More_bad_lines_than_MAX_FAILED_RATIO_exits_3_as_the_run_would()
    {
        var env = new Dictionary<string, string?> { ["INPUT_PATH"] = InProcessRun.TempInput(Input), ["MAX_FAILED_RATIO"] = "0.5", ["LOG_RECORDS"] = "false" };

        var (code, lines, _) = InProcessRun.Run(env, ["--check"]);

        code.Should().Be(ExitCode.TooManyFailedRecords);
        lines.Should().ContainSingle().Which.GetProperty("level").GetString().Should().Be("ERROR");
        InProcessRun.Run(env).Code.Should().Be(ExitCode.TooManyFailedRecords);
    }

    [Fact]
    public void A_clean_input_exits_0_with_no_bad_lines()
    {
        var env = new Dictionary<string, string?> { ["INPUT_PATH"] = InProcessRun.TempInput("{\"id\": 1, \"features\": [1.0]}\n") };

        var (code, lines, _) = InProcessRun.Run(env, ["--check"]);

        code.Should().Be(ExitCode.Success);
        var check = lines.Should().ContainSingle().Which;
        check.GetProperty("level").GetString().Should().Be("INFO");
        check.GetProperty("bad_lines").EnumerateObject().Should().BeEmpty();
    }

    [Fact]
    public void A_missing_input_exits_2_naming_the_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), "batchjob-no-such-input.jsonl");

        var (code, _, stdout) = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = missing }, ["--check"]);

        code.Should().Be(ExitCode.InvalidConfiguration);
        stdout.Should().Contain(missing);
    }

    [SkippableFact]
    public void A_read_only_output_folder_exits_2_naming_it()
    {
        using var volume = SmallVolume.Mount("ro,size=64k");
        var output = Path.Combine(volume.Path, "p.jsonl");

        var (code, _, stdout) = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = InProcessRun.TempInput(Input) }, ["--check", "--output", output]);

        code.Should().Be(ExitCode.InvalidConfiguration);
        stdout.Should().Contain(volume.Path).And.Contain("cannot be written");
    }

    [SkippableFact]
    public void An_output_folder_with_less_room_than_the_input_exits_2_naming_it()
    {
        using var volume = SmallVolume.Mount("size=16k");
        var big = InProcessRun.TempInput(string.Concat(Enumerable.Repeat("{\"id\": 1, \"features\": [1.0, 2.0, 3.0]}\n", 2000)));
        var output = Path.Combine(volume.Path, "p.jsonl");

        var (code, lines, _) = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = big }, ["--check", "--output", output]);

        code.Should().Be(ExitCode.InvalidConfiguration);
        var line = lines.Should().ContainSingle().Which;
        line.GetProperty("message").GetString().Should().Be("Output not writable");
        line.GetProperty("error").GetString().Should().Contain(volume.Path).And.Contain("bytes free");

        // The same input and a volume with room: fine.
        InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = big }, ["--check", "--output", Path.Combine(Path.GetDirectoryName(big)!, "p.jsonl")]).Code.Should().Be(ExitCode.Success);
    }
}
