namespace BatchJob.Input;

/// <summary>A record's <c>id</c>: a JSON integer (no allocation) or a JSON string, kept as written.</summary>
internal readonly record struct RecordId(long Number, string? Text)
{
    /// <summary>The id as a span or log attribute value.</summary>
    public object ToAttribute() => Text ?? (object)Number;

    public override string ToString() => Text ?? Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
