namespace BatchJob.Configuration;

/// <summary>
/// Hides the secrets a URL may carry before it is printed anywhere (log lines, configuration
/// errors): logs are read by more people than the Secret that held them.
/// </summary>
internal static class SecretMask
{
    public const string Mask = "***";

    /// <summary>
    /// <paramref name="url"/> with its userinfo replaced by <c>***@</c> and its query (or fragment)
    /// by <c>?***</c> (<c>#***</c>). Works on the text, not a parse, so a URL that does not parse
    /// (a password with <c>#</c>, <c>?</c>, <c>/</c> or <c>@</c> in it, a rejected setting quoted
    /// as given) is masked too: everything after the scheme up to the <em>last</em> <c>@</c> is
    /// userinfo, so an <c>@</c> later in the path hides more than needed, never less.
    /// </summary>
    public static string Url(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var start = scheme < 0 ? 0 : scheme + 3;
        var at = url.LastIndexOf('@');
        var host = at < start ? start : at + 1;
        var rest = url.AsSpan(host);
        var query = rest.IndexOfAny('?', '#');
        var kept = query < 0 ? rest : rest[..query];
        return string.Concat(
            url.AsSpan(0, start),
            at < start ? string.Empty : Mask + "@",
            kept,
            query < 0 ? string.Empty : rest[query] + Mask);
    }
}
