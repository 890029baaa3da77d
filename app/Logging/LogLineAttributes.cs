using System.Collections;

namespace BatchJob.Logging;

/// <summary>
/// A log line's fields as the attribute list OpenTelemetry's logger reads: scalars with their JSON
/// types, nested fields flattened (<c>summary.total_records</c>), null fields left out, then the
/// message under the key the SDK makes the LogRecord's body. Refilled for every line; the SDK
/// copies the attributes out before the next.
/// </summary>
internal sealed class LogLineAttributes : IReadOnlyList<KeyValuePair<string, object?>>
{
    private const string MessageKey = "{OriginalFormat}";

    private readonly List<KeyValuePair<string, object?>> _attributes = new(16);

    public int Count => _attributes.Count;

    public KeyValuePair<string, object?> this[int index] => _attributes[index];

    public void Set(LogLine line)
    {
        _attributes.Clear();
        foreach (ref readonly var field in line.Fields)
        {
            Add(field.Name, field);
        }

        _attributes.Add(new(MessageKey, line.Message));
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _attributes.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Add(string name, in LogField field)
    {
        switch (field.Kind)
        {
            case LogFieldKind.Long:
                _attributes.Add(new(name, field.Integer));
                break;
            case LogFieldKind.Double:
                _attributes.Add(new(name, field.Number));
                break;
            case LogFieldKind.Bool:
                _attributes.Add(new(name, field.Bool));
                break;
            case LogFieldKind.String:
                _attributes.Add(new(name, field.String));
                break;
            case LogFieldKind.Object:
                foreach (var nested in field.Fields)
                {
                    Add(name + "." + nested.Name, nested);
                }

                break;
            case LogFieldKind.Strings:
                _attributes.Add(new(name, field.Strings.ToArray()));
                break;
            default:
                break;
        }
    }
}
