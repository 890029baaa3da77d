namespace BatchJob.Input;

/// <summary>The names a <see cref="RejectKind"/> is written as: snake_case, stable across releases.</summary>
internal static class RejectKindNames
{
    public static string Name(this RejectKind kind) => kind switch
    {
        RejectKind.InvalidUtf8 => "invalid_utf8",
        RejectKind.InvalidJson => "invalid_json",
        RejectKind.InvalidRecord => "invalid_record",
        RejectKind.LineTooLong => "line_too_long",
        _ => "overflow",
    };
}
