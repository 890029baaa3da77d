using BatchJob.Input;

namespace BatchJob.Logging;

/// <summary>
/// One named value of a log line, unboxed: numbers and flags are held inline, so building a
/// record's line allocates nothing.
/// </summary>
internal readonly struct LogField
{
    private LogField(string name, LogFieldKind kind, long integer = 0, double number = 0, object? reference = null)
    {
        Name = name;
        Kind = kind;
        Integer = integer;
        Number = number;
        Reference = reference;
    }

    public string Name { get; }

    public LogFieldKind Kind { get; }

    /// <summary>The value of a <see cref="LogFieldKind.Long"/> field; 1 or 0 for a <see cref="LogFieldKind.Bool"/>.</summary>
    public long Integer { get; }

    public double Number { get; }

    /// <summary>The string, nested fields or string list.</summary>
    public object? Reference { get; }

    public bool Bool => Integer != 0;

    public string String => (string)Reference!;

    public IReadOnlyList<LogField> Fields => (IReadOnlyList<LogField>)Reference!;

    public IReadOnlyList<string> Strings => (IReadOnlyList<string>)Reference!;

    public static LogField Of(string name, long value) => new(name, LogFieldKind.Long, integer: value);

    public static LogField Of(string name, double value) => new(name, LogFieldKind.Double, number: value);

    public static LogField Of(string name, bool value) => new(name, LogFieldKind.Bool, integer: value ? 1 : 0);

    public static LogField Of(string name, string? value) => value is null ? Null(name) : new(name, LogFieldKind.String, reference: value);

    public static LogField Of(string name, bool? value) => value is { } v ? Of(name, v) : Null(name);

    /// <summary>A number or flag handed over as an object (the summary's fields).</summary>
    public static LogField Of(string name, object? value) => value switch
    {
        null => Null(name),
        long v => Of(name, v),
        int v => Of(name, (long)v),
        double v => Of(name, v),
        bool v => Of(name, v),
        string v => Of(name, v),
        _ => throw new ArgumentException($"no log field kind for {value.GetType().Name}", nameof(value)),
    };

    public static LogField Of(string name, long? value) => value is { } v ? Of(name, v) : Null(name);

    public static LogField Of(string name, double? value) => value is { } v ? Of(name, v) : Null(name);

    /// <summary>A record's id as it was written: a number, or a string.</summary>
    public static LogField Of(string name, RecordId id) => id.Text is { } text ? Of(name, text) : Of(name, id.Number);

    public static LogField Object(string name, IReadOnlyList<LogField> fields) => new(name, LogFieldKind.Object, reference: fields);

    public static LogField List(string name, IReadOnlyList<string> values) => new(name, LogFieldKind.Strings, reference: values);

    public static LogField Null(string name) => new(name, LogFieldKind.Null);
}
