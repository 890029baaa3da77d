using System.Diagnostics;
using System.IO.Pipes;
using System.Text;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Input;

/// <summary>
/// Input that cannot seek and has no size: <c>cat x | worker --input /dev/stdin</c>, a FIFO, any
/// pipe. Every record is read; the start line says the size is unknown and progress has no ETA.
/// </summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class PipeInputTests
{
    private static string Records(int count) =>
        string.Concat(Enumerable.Range(1, count).Select(i => $"{{\"id\": {i}, \"features\": [{i}, 1]}}\n"));

    [Fact]
    public void A_pipe_is_read_to_its_end_with_input_bytes_null_and_no_eta_or_forecast()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        using var readEnd = pipe.ClientSafePipeHandle;
        pipe.Write(Encoding.UTF8.GetBytes(Records(5)));
        // The path /dev/stdin resolves to when stdin is a pipe: /proc/self/fd/N.
        var path = $"/proc/self/fd/{readEnd.DangerousGetHandle()}";
        pipe.Close(); // the writer is done: after the 5 records the reader meets the end

        var (code, lines, stdout) = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = path, ["BATCH_SIZE"] = "2" });

        code.Should().Be(ExitCode.Success, stdout);
        lines.WithMessage("Record processed").Select(r => r.GetProperty("id").GetInt64()).Should().Equal(1, 2, 3, 4, 5);
        var start = lines.WithMessage("Starting batch inference job").Single();
        start.GetProperty("input").GetString().Should().Be(path);
        start.GetProperty("input_bytes").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null, "a pipe has no size to give");
        var progress = lines.WithMessage("Batch progress").ToList();
        progress.Should().NotBeEmpty("BATCH_SIZE=2 makes a progress line every 2 records");
        progress.Should().AllSatisfy(p =>
        {
            p.TryGetProperty("eta_s", out _).Should().BeFalse("unknown is absent, not zero or null");
            p.TryGetProperty("forecast_cost_usd", out _).Should().BeFalse("unknown is absent, not zero or null");
        });
    }

    [Fact]
    public void A_regular_file_still_gives_its_size_and_an_eta()
    {
        var input = InProcessRun.TempInput(Records(5));

        var (code, lines, stdout) = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = input, ["BATCH_SIZE"] = "2" });

        code.Should().Be(ExitCode.Success, stdout);
        lines.WithMessage("Starting batch inference job").Single().GetProperty("input_bytes").GetInt64().Should().Be(new FileInfo(input).Length);
        lines.WithMessage("Batch progress").Should().OnlyContain(p =>
            p.GetProperty("eta_s").ValueKind == System.Text.Json.JsonValueKind.Number && p.GetProperty("forecast_cost_usd").ValueKind == System.Text.Json.JsonValueKind.Number);
    }

    [Fact]
    public async Task The_published_worker_reads_dev_stdin_fed_by_a_pipe_as_records_arrive()
    {
        _ = PublishedWorker.Executable;
        var clock = Stopwatch.StartNew();
        var info = PublishedWorker.StartInfo(new Dictionary<string, string?> { ["ENABLE_TELEMETRY"] = "false" }, ["--input", "/dev/stdin"]);
        info.RedirectStandardInput = true;
        using var worker = Process.Start(info)!;

        // The first record is processed while the pipe is still open: streamed, not read whole first.
        await worker.StandardInput.WriteAsync(Records(1));
        await worker.StandardInput.FlushAsync();
        var seen = await WorkerOutput.ReadUntilAsync(worker, "\"Record processed\"", TimeSpan.FromSeconds(60)); // a hang catch
        await worker.StandardInput.WriteAsync(Records(3)[Records(1).Length..]);
        worker.StandardInput.Close();
        var run = await WorkerOutput.FinishAsync(worker, seen, clock, TimeSpan.FromSeconds(60));

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Record processed").Select(r => r.GetProperty("id").GetInt64()).Should().Equal(1, 2, 3);
        run.Summary.GetProperty("successful").GetInt64().Should().Be(3);
        run.WithMessage("Starting batch inference job").Single().GetProperty("input_bytes").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task The_published_worker_reads_a_FIFO_whose_writer_comes_later()
    {
        var fifo = Fifo.Create(Path.Combine(Directory.CreateTempSubdirectory("batchjob-fifo-").FullName, "input.fifo"));
        _ = PublishedWorker.Executable;
        var clock = Stopwatch.StartNew();
        using var worker = PublishedWorker.Start(new Dictionary<string, string?> { ["ENABLE_TELEMETRY"] = "false", ["INPUT_PATH"] = fifo });

        // The worker waits in open() for a writer; 60 s only catches one that never opens the FIFO.
        await using (var writer = await Fifo.OpenWriterAsync(fifo, TimeSpan.FromSeconds(60)))
        {
            await writer.WriteAsync(Encoding.UTF8.GetBytes(Records(4)));
        }

        var run = await PublishedWorker.CollectAsync(worker, clock, TimeSpan.FromSeconds(60));

        run.ExitCode.Should().Be(0, run.ToString());
        run.Summary.GetProperty("successful").GetInt64().Should().Be(4);
        run.Summary.GetProperty("failed").GetInt64().Should().Be(0);
    }
}
