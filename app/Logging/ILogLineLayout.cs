using System.Buffers;

namespace BatchJob.Logging;

/// <summary>How one log line becomes one JSON object on stdout (without the newline).</summary>
internal interface ILogLineLayout
{
    void Write(LogLine line, IBufferWriter<byte> output);
}
