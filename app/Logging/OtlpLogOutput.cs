using Microsoft.Extensions.Logging;

namespace BatchJob.Logging;

/// <summary>
/// Sends every log line to OpenTelemetry's logging provider as well, so the collector gets the
/// lines stdout shows as LogRecords: body the message, fields as attributes, and the trace and
/// span id of the span current when the line was written (the SDK reads
/// <see cref="System.Diagnostics.Activity.Current"/>; lines are written on the writing thread).
/// </summary>
internal sealed class OtlpLogOutput(ILogger logger) : ILogOutput
{
    private readonly LogLineAttributes _attributes = new();

    public void Write(LogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!logger.IsEnabled(line.Level))
        {
            return;
        }

        _attributes.Set(line);
        logger.Log(line.Level, default, _attributes, null, static (_, _) => string.Empty);
    }
}
