using System.Text;

namespace BatchJob.Configuration;

/// <summary>
/// The W3C <c>BAGGAGE</c> the run was launched with (the OpenTelemetry spec's environment carrier,
/// sibling of TRACEPARENT): its entries, in order, values percent-decoded, properties dropped.
/// </summary>
/// <param name="Entries">What every span and every log line of the run carries.</param>
/// <param name="Problem">Why a BAGGAGE that was set is ignored (malformed or over the W3C limits); null when it is used or absent.</param>
internal sealed record W3CBaggage(IReadOnlyList<KeyValuePair<string, string>> Entries, string? Problem)
{
    /// <summary>W3C Baggage limits: list-members, bytes per list-member, bytes in all.</summary>
    public const int MaxEntries = 180;
    public const int MaxEntryBytes = 4096;
    public const int MaxBytes = 8192;

    public static readonly W3CBaggage None = new([], null);

    /// <summary>Parses a baggage header; anything malformed or oversized ignores all of it, with the reason.</summary>
    public static W3CBaggage Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return None;
        }

        if (Encoding.UTF8.GetByteCount(header) > MaxBytes)
        {
            return Ignored($"longer than {MaxBytes} bytes");
        }

        var members = header.Split(',');
        if (members.Length > MaxEntries)
        {
            return Ignored($"more than {MaxEntries} entries");
        }

        var entries = new List<KeyValuePair<string, string>>(members.Length);
        for (var i = 0; i < members.Length; i++)
        {
            var member = members[i].Trim(' ', '\t');
            if (Encoding.UTF8.GetByteCount(member) > MaxEntryBytes)
            {
                return Ignored($"entry {i + 1} is longer than {MaxEntryBytes} bytes");
            }

            // key = value *( ";" property ): the properties are metadata, not part of the value.
            var pair = member.Split(';')[0];
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair.Trim(' ', '\t') : pair[..equals].Trim(' ', '\t');
            if (equals < 0 || key.Length == 0 || !key.All(IsTokenChar))
            {
                return Ignored($"entry {i + 1} is not key=value with a token key");
            }

            var value = pair[(equals + 1)..].Trim(' ', '\t');
            if (!value.All(IsValueChar) || Decode(value) is not { } decoded)
            {
                return Ignored($"entry {i + 1} ('{key}') has a value with characters baggage must percent-encode");
            }

            entries.Add(new(key, decoded));
        }

        return new W3CBaggage(entries, null);
    }

    private static W3CBaggage Ignored(string reason) => new([], reason);

    /// <summary>RFC 7230 tchar.</summary>
    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    /// <summary>W3C baggage-octet: printable ASCII but space, '"', ',', ';' and '\'.</summary>
    private static bool IsValueChar(char c) => c is '!' or (>= '#' and <= '+') or (>= '-' and <= ':') or (>= '<' and <= '[') or (>= ']' and <= '~');

    /// <summary>Percent-decodes as UTF-8; null when an escape is malformed or the bytes are not UTF-8.</summary>
    private static string? Decode(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                bytes.Add((byte)value[i]);
                continue;
            }

            if (i + 2 >= value.Length || !byte.TryParse(value.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
            {
                return null;
            }

            bytes.Add(b);
            i += 2;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
