namespace BatchJob.Configuration;

/// <summary>
/// Hides the <c>user:password@</c> part of a URL before it is logged: an endpoint may carry
/// credentials, and logs are read by more people than the Secret that held them.
/// </summary>
internal static class UrlUserinfo
{
    public const string Mask = "***";

    /// <summary>
    /// <paramref name="url"/> with everything before the last <c>@</c> of its authority replaced by
    /// <see cref="Mask"/>. Works on text that is not a valid URL too (a rejected setting is logged
    /// as given); a path containing <c>@</c> hides more than needed, never less.
    /// </summary>
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var start = scheme < 0 ? 0 : scheme + 3;
        // The authority ends at the path, query or fragment; a password may hold an unescaped '/',
        // so look for '@' up to the query or fragment instead.
        var end = url.AsSpan(start).IndexOfAny('?', '#');
        var at = (end < 0 ? url.AsSpan(start) : url.AsSpan(start, end)).LastIndexOf('@');
        return at < 0 ? url : string.Concat(url.AsSpan(0, start), Mask, url.AsSpan(start + at));
    }
}
