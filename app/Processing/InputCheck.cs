using System.Globalization;
using BatchJob.Configuration;
using BatchJob.Inference;
using BatchJob.Input;
using BatchJob.Logging;
using BatchJob.Output;

namespace BatchJob.Processing;

/// <summary>
/// <c>--check</c>: what a run would meet, found without running it. The configuration was read
/// by the worker's own <see cref="OptionsReader"/> (with <see cref="OutputTarget.ReadOnlyChecks"/>);
/// here the input is opened and scanned with the worker's reader, parser and model, the lines
/// this shard would reject are listed, and every output folder must have room. Nothing is written.
/// </summary>
/// <remarks>
/// Room: each output folder must have at least as many bytes free as the input is long. A
/// prediction line is shorter than its input line, and a rejects line holds its input line once
/// plus a short message, so that is enough for either file, but not for both on one nearly full
/// volume: it is a check for the obvious mistake (the wrong volume), not a reservation.
/// </remarks>
internal static class InputCheck
{
    /// <summary>At most this many bad lines are listed by number; the rest are counted.</summary>
    public const int MaxListed = 1000;

    /// <returns>Null when the input or an output cannot be used (logged, naming the path); otherwise the scan's counts.</returns>
    public static CheckResult? Run(BatchOptions options, BatchLog log, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        FileStream input;
        try
        {
            input = new FileStream(options.InputPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.InputUnreadable(options.InputPath, e.Message);
            return null;
        }

        using (input)
        {
            long? inputBytes = input.CanSeek ? input.Length : null;
            foreach (var output in (ReadOnlySpan<string?>)[options.OutputPath, options.RejectsPath])
            {
                if (output is not null && NoRoom(output, inputBytes) is { } problem)
                {
                    log.OutputUnwritable(output, problem);
                    return null;
                }
            }

            try
            {
                var result = Scan(input, options, cancellation);
                log.InputChecked(options.InputPath, inputBytes, result.Records, result.Failed, result.FailedRatio, options.MaxFailedRatio, result.BadLines);
                return result;
            }
            catch (IOException e)
            {
                log.InputUnreadable(options.InputPath, e.Message);
                return null;
            }
        }
    }

    private static string? NoRoom(string output, long? inputBytes)
    {
        var folder = Path.GetDirectoryName(output)!;
        while (!Directory.Exists(folder) && Path.GetDirectoryName(folder) is { } parent)
        {
            folder = parent; // a {shard} folder the run would create: its parent holds the bytes
        }

        return inputBytes is { } needed && FreeSpace.BytesAvailable(folder) is { } free && free < needed
            ? string.Create(CultureInfo.InvariantCulture, $"'{folder}' has {free} bytes free, less than the input's {needed} bytes (each output folder needs at least the input's size)")
            : null;
    }

    private static CheckResult Scan(Stream input, BatchOptions options, CancellationToken cancellation)
    {
        var parser = new RecordParser();
        // No CPU_BURN_MS: only whether the sum overflows matters here.
        var model = new SumModel(0);
        var bad = new List<(long Line, RejectKind Kind)>();
        long records = 0, failed = 0, ordinal = -1;
        using var reader = new JsonLinesReader(input, options.MaxLineBytes, cancellation);
        while (true)
        {
            var kind = reader.Read(out var line);
            if (kind == LineKind.End)
            {
                break;
            }

            if (kind == LineKind.Blank || !options.Shard.Owns(++ordinal))
            {
                continue;
            }

            records++;
            RejectKind? rejection = kind == LineKind.TooLong ? RejectKind.LineTooLong
                : !parser.TryParse(line, out var record, out _, out _) ? parser.LastRejection
                : double.IsNaN(model.Predict(record.Features)) ? RejectKind.Overflow
                : null;
            if (rejection is { } rejected)
            {
                failed++;
                if (bad.Count < MaxListed)
                {
                    bad.Add((reader.LineNumber, rejected));
                }
            }
        }

        return new CheckResult(records, failed, bad);
    }
}
