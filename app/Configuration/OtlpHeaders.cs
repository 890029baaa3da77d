namespace BatchJob.Configuration;

/// <summary>
/// <c>OTEL_EXPORTER_OTLP_HEADERS</c> checked at start the way OpenTelemetry .NET 1.20.1 reads it
/// when it builds an exporter, where a bad value was an <see cref="ArgumentException"/> and a
/// crash (issue 21): the whole value is percent-decoded first (so an encoded comma splits, as in the
/// SDK), then split at commas into <c>key=value</c> pairs, each trimmed; a trailing comma is
/// allowed. The SDK throws on a pair without <c>=</c> (an empty one included) and on a key given
/// twice; a key that is not an HTTP header name, or a value with a control character, fails
/// every export instead, so both are refused here too.
/// What is wrong is told by position only: any part of the text may be a secret.
/// </summary>
internal static class OtlpHeaders
{
    /// <returns>Null when the SDK can use <paramref name="text"/>; otherwise what is wrong, without any of the text.</returns>
    public static string? Problem(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rest = Uri.UnescapeDataString(text).AsSpan();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var position = 1; !rest.IsEmpty; position++)
        {
            var comma = rest.IndexOf(',');
            var pair = comma < 0 ? rest : rest[..comma];
            rest = comma < 0 ? [] : rest[(comma + 1)..];
            var equals = pair.IndexOf('=');
            if (equals < 0)
            {
                return $"header {position} has no '=' (after percent-decoding, which also turns %2C into a comma)";
            }

            var key = pair[..equals].Trim();
            if (key.IsEmpty || key.ContainsAnyExcept(TokenCharacters))
            {
                return $"header {position}'s name is empty or not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)";
            }

            if (pair[(equals + 1)..].IndexOfAnyInRange('\0', '\x1f') >= 0 || pair[(equals + 1)..].Contains('\x7f'))
            {
                return $"header {position}'s value holds a control character (a line break, say)";
            }

            if (!keys.Add(key.ToString()))
            {
                return $"header {position}'s name was given before";
            }
        }

        return null;
    }

    // RFC 9110 tchar: what an HTTP field name is made of.
    private static readonly System.Buffers.SearchValues<char> TokenCharacters =
        System.Buffers.SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
}
