using System.Globalization;
using BatchJob.Configuration;
using BatchJob.Tests.Configuration;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Output;

/// <summary>
/// OUTPUT_PATH is checked at start, for the file this process will really write: concurrent runs
/// and shards never trip over each other's check, and the check touches nothing that is not its own.
/// </summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class OutputPathTests
{
    [Fact]
    public void Sixteen_runs_checking_one_plain_path_at_once_all_accept_it()
    {
        var dir = NewFolder();
        var path = Path.Combine(dir, "predictions.jsonl");

        var errors = Concurrently(16, rounds: 20, _ => new Dictionary<string, string?> { ["OUTPUT_PATH"] = path });

        errors.Should().BeEmpty();
        Directory.GetFileSystemEntries(dir).Should().BeEmpty("every check removes its own probe");
    }

    [Fact]
    public void Five_shards_checking_one_template_at_once_each_get_their_own_file()
    {
        var template = Path.Combine(NewFolder(), "predictions-{shard}.jsonl");

        var errors = Concurrently(5, rounds: 40, index => Shard(template, index, 5));

        errors.Should().BeEmpty();
        TestConfig.Read(Shard(template, 3, 5)).OutputPath.Should().Be(template.Replace("{shard}", "3", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_named_like_the_old_probe_is_left_alone()
    {
        var path = Path.Combine(NewFolder(), "predictions.jsonl");
        File.WriteAllText(path + ".probe", "someone's data");

        TestConfig.Read(new Dictionary<string, string?> { ["OUTPUT_PATH"] = path });

        File.ReadAllText(path + ".probe").Should().Be("someone's data");
    }

    [Fact]
    public void Shard_in_a_folder_name_gives_each_shard_its_own_folder_created_under_the_shared_one()
    {
        var dir = NewFolder();

        var options = TestConfig.Read(Shard(Path.Combine(dir, "run-{shard}", "predictions.jsonl"), 1, 3));

        options.OutputPath.Should().Be(Path.Combine(dir, "run-1", "predictions.jsonl"));
        Directory.GetDirectories(dir).Should().Equal(Path.Combine(dir, "run-1"));
        Directory.GetFiles(Path.Combine(dir, "run-1")).Should().BeEmpty("the check leaves nothing behind");
    }

    [Fact]
    public void A_missing_shared_folder_is_named_and_not_created()
    {
        var missing = Path.Combine(NewFolder(), "typo");
        var template = Path.Combine(missing, "{shard}", "predictions.jsonl");

        TestConfig.Errors(Shard(template, 0, 2)).Should().ContainSingle().Which.Should().Be(
            $"OUTPUT_PATH='{template}' is not valid: expected a file path in a writable folder ('{missing}' does not exist; only folders named with {{shard}} are created).");
        Directory.Exists(missing).Should().BeFalse();
    }

    /// <summary>Every spelling of the input's own file: publishing there would replace the input.</summary>
    [Theory]
    [InlineData("same")]
    [InlineData("relative")]
    [InlineData("dot")]
    [InlineData("dot-dot")]
    [InlineData("symbolic link")]
    [InlineData("hard link")]
    public void The_input_file_under_any_name_is_refused(string spelling)
    {
        var dir = NewFolder();
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        var input = Path.Combine(dir, "input.jsonl");
        File.WriteAllText(input, "{\"id\": 1, \"features\": [1]}\n");
        var output = spelling switch
        {
            "same" => input,
            "relative" => "input.jsonl",
            "dot" => "./input.jsonl",
            "dot-dot" => "sub/../input.jsonl",
            "symbolic link" => File.CreateSymbolicLink(Path.Combine(dir, "link.jsonl"), input).FullName,
            _ => HardLink(input, Path.Combine(dir, "hard.jsonl")),
        };

        var act = () => TestConfig.Read(new Dictionary<string, string?> { ["INPUT_PATH"] = input, ["OUTPUT_PATH"] = output }, workingDirectory: dir);

        act.Should().Throw<ConfigurationException>().Which.Errors.Should().ContainSingle().Which.Should().Be(
            $"OUTPUT_PATH='{output}' is not valid: expected a file other than the input (it is the same file as INPUT_PATH, which publishing would replace).");
    }

    [Fact]
    public void A_run_told_to_write_onto_its_input_stops_before_reading_and_the_input_survives()
    {
        var content = "{\"id\": 1, \"features\": [1.0, 2.0]}\n";
        var input = InProcessRun.TempInput(content);

        var (code, lines, _) = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = input, ["OUTPUT_PATH"] = input });

        code.Should().Be(ExitCode.InvalidConfiguration);
        lines.Should().ContainSingle().Which.GetProperty("message").GetString().Should().Be("Invalid configuration");
        File.ReadAllText(input).Should().Be(content);
    }

    /// <summary>The writer renames a regular file onto the path: anything else there would be replaced by it, or refuse it.</summary>
    [Theory]
    [InlineData("/dev/null", "a character device")]
    [InlineData("/dev/stdout", "a symbolic link: publishing would replace the link, not the file it points to; name that file instead")]
    [InlineData("fifo", "a FIFO (named pipe)")]
    [InlineData("socket", "a socket")]
    [InlineData("symbolic link", "a symbolic link: publishing would replace the link, not the file it points to; name that file instead")]
    public void A_target_that_is_not_a_regular_file_is_refused(string target, string kind)
    {
        var dir = NewFolder();
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        var path = target switch
        {
            "fifo" => Run("mkfifo", Path.Combine(dir, "fifo")),
            "socket" => Bind(socket, Path.Combine(dir, "socket")),
            "symbolic link" => File.CreateSymbolicLink(Path.Combine(dir, "link"), Path.Combine(NewFolder(), "elsewhere.jsonl")).FullName,
            _ => target,
        };

        TestConfig.Errors(new Dictionary<string, string?> { ["OUTPUT_PATH"] = path }).Should().ContainSingle().Which.Should().Be(
            $"OUTPUT_PATH='{path}' is not valid: expected a new or regular file that the worker can replace when it publishes (it is {kind}).");
    }

    [Fact]
    public void A_path_ending_in_a_separator_is_refused_and_no_folder_is_made()
    {
        var path = Path.Combine(NewFolder(), "predictions") + "/";

        TestConfig.Errors(new Dictionary<string, string?> { ["OUTPUT_PATH"] = path }).Should().ContainSingle().Which.Should().Be(
            $"OUTPUT_PATH='{path}' is not valid: expected a file path in a writable folder (it ends with a folder separator).");
        Directory.Exists(path).Should().BeFalse();
    }

    /// <summary>Calls the options reader from <paramref name="parallel"/> threads released together, <paramref name="rounds"/> times; returns every error.</summary>
    private static List<string> Concurrently(int parallel, int rounds, Func<int, Dictionary<string, string?>> environment)
    {
        var errors = new List<string>();
        using var barrier = new Barrier(parallel);
        var threads = Enumerable.Range(0, parallel).Select(index => new Thread(() =>
        {
            for (var round = 0; round < rounds; round++)
            {
                barrier.SignalAndWait();
                try
                {
                    TestConfig.Read(environment(index));
                }
                catch (ConfigurationException e)
                {
                    lock (errors)
                    {
                        errors.AddRange(e.Errors);
                    }
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return errors;
    }

    private static Dictionary<string, string?> Shard(string template, int index, int count) => new()
    {
        ["OUTPUT_PATH"] = template,
        ["SHARD_COUNT"] = count.ToString(CultureInfo.InvariantCulture),
        ["JOB_COMPLETION_INDEX"] = index.ToString(CultureInfo.InvariantCulture),
    };

    private static string HardLink(string existing, string link)
    {
        Run("ln", existing, link);
        return link;
    }

    private static string Bind(System.Net.Sockets.Socket socket, string path)
    {
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        return path;
    }

    /// <summary>Runs a coreutils command (there is no .NET API for FIFOs or hard links); returns its last argument.</summary>
    private static string Run(string command, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(command, args);
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"{command} {string.Join(' ', args)}");
        return args[^1];
    }

    private static string NewFolder() => Directory.CreateTempSubdirectory("batchjob-output-").FullName;
}
