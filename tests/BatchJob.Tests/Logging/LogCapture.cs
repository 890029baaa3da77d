using System.Globalization;
using System.Text;
using BatchJob.Configuration;
using BatchJob.Logging;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;

namespace BatchJob.Tests.Logging;

/// <summary>What lines written through a <see cref="BatchLog"/> become: stdout in either format, and OTLP LogRecords.</summary>
internal static class LogCapture
{
    public static string Render(LogFormat format, Action<BatchLog> write)
    {
        using var stdout = new MemoryStream();
        using (var sink = BatchHost.StdoutSink(stdout, format))
        {
            write(new BatchLog([sink], TimeProvider.System, W3CBaggage.None));
        }

        return Encoding.UTF8.GetString(stdout.ToArray());
    }

    /// <summary>Each LogRecord the OpenTelemetry SDK would export, one line each: level, body, ids, then every attribute with its type.</summary>
    public static string RenderOtlp(Action<BatchLog> write)
    {
        var records = new List<LogRecord>();
        var text = new StringBuilder();
        using (var factory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(options => options.AddInMemoryExporter(records))))
        {
            write(new BatchLog([new OtlpLogOutput(factory.CreateLogger("BatchJob"))], TimeProvider.System, W3CBaggage.None));

            foreach (var record in records)
            {
                text.Append(CultureInfo.InvariantCulture, $"{record.LogLevel}|{record.Body}|{record.TraceId != default}|{record.SpanId != default}|{record.Exception?.GetType().Name}");
                foreach (var (key, value) in record.Attributes ?? [])
                {
                    var shown = value is string[] array ? "[" + string.Join(",", array) + "]" : Convert.ToString(value, CultureInfo.InvariantCulture);
                    text.Append(CultureInfo.InvariantCulture, $"|{key}={shown}:{Kind(value)}");
                }

                text.Append('\n');
            }
        }

        // As protobuf carries strings: UTF-8, a lone surrogate becoming U+FFFD.
        return Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>The OTLP AnyValue kind the exporter writes for an attribute value (its wire type, not the CLR type).</summary>
    private static string Kind(object? value) => value switch
    {
        null => "null",
        string => "string",
        bool => "bool",
        int or long or short or byte or uint => "int",
        double or float => "double",
        string[] => "array",
        _ => value.GetType().Name,
    };
}
