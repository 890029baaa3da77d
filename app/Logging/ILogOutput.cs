namespace BatchJob.Logging;

/// <summary>Somewhere every log line goes: stdout (<see cref="JsonLinesSink"/>) or the OTLP log exporter (<see cref="OtlpLogOutput"/>).</summary>
internal interface ILogOutput
{
    /// <summary>Writes the line before returning; the line is reused afterwards.</summary>
    void Write(LogLine line);
}
