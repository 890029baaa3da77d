using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Unicode;

namespace BatchJob.Input;

/// <summary>
/// Parses one JSON Lines record, <c>{"id": 1, "features": [1.0, 2.0, 3.0]}</c>, straight from UTF-8
/// bytes into a reused feature buffer. A line that is not a valid record gets a reason a person can
/// act on; valid records cost no allocation (but a string id).
/// </summary>
internal sealed class RecordParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 32 };

    private double[] _features = new double[16];

    /// <summary>What kind of problem the last rejected line had (meaningful after a parse returned false).</summary>
    public RejectKind LastRejection { get; private set; }

    /// <summary>Parses <paramref name="line"/>; on failure returns false with <paramref name="error"/> saying why.</summary>
    public bool TryParse(ReadOnlySpan<byte> line, out ParsedRecord record, out string? error, out RecordId? idSeen)
    {
        idSeen = null;
        error = null;
        return TryParseCanonical(line, out record) || TryParseGeneral(line, out record, out error, out idSeen);
    }

    /// <summary>
    /// The general path alone (the fast path's reference, and what every line it declines goes
    /// through): any valid record, and a reason for any other line. Never throws on input.
    /// </summary>
    internal bool TryParseGeneral(ReadOnlySpan<byte> line, out ParsedRecord record, out string? error, out RecordId? idSeen)
    {
        record = default;
        idSeen = null;
        if (!Utf8.IsValid(line))
        {
            LastRejection = RejectKind.InvalidUtf8;
            error = "line is not valid UTF-8";
            return false;
        }

        try
        {
            error = Parse(line, out record, out idSeen);
            LastRejection = RejectKind.InvalidRecord;
            return error is null;
        }
        catch (JsonException e)
        {
            LastRejection = RejectKind.InvalidJson;
            error = "invalid JSON: " + e.Message;
            return false;
        }
    }

    /// <summary>
    /// The fast path, for the shape nearly every line has: <c>{"id": 123, "features": [1.5, -2, 3.25]}</c>
    /// (ASCII, integer id first, plain decimals, any JSON whitespace). Anything else - another key
    /// order, a string id, exponents, an id of more than 18 digits, invalid input - returns false and goes
    /// through <see cref="Utf8JsonReader"/>, which gives the same values and the error messages.
    /// The profile put the general reader at ~600 ns of a ~2 us record; this is several times faster.
    /// Internal so tests can show it accepts the shapes it is for: a fast path that always declined
    /// would give the same records, only slower.
    /// </summary>
    internal bool TryParseCanonical(ReadOnlySpan<byte> line, out ParsedRecord record)
    {
        record = default;
        var i = 0;
        if (!Expect(line, ref i, (byte)'{') || !ExpectText(line, ref i, "\"id\""u8) || !Expect(line, ref i, (byte)':'))
        {
            return false;
        }

        SkipWhitespace(line, ref i);
        if (!TryReadInteger(line, ref i, out var id)
            || !Expect(line, ref i, (byte)',') || !ExpectText(line, ref i, "\"features\""u8) || !Expect(line, ref i, (byte)':')
            || !Expect(line, ref i, (byte)'['))
        {
            return false;
        }

        var count = 0;
        SkipWhitespace(line, ref i);
        if (i < line.Length && line[i] == (byte)']')
        {
            return false; // empty: the general path reports it
        }

        while (true)
        {
            SkipWhitespace(line, ref i);
            if (!TryReadDecimal(line, ref i, out var value))
            {
                return false;
            }

            if (count == _features.Length)
            {
                Array.Resize(ref _features, _features.Length * 2);
            }

            _features[count++] = value;
            SkipWhitespace(line, ref i);
            if (i >= line.Length)
            {
                return false;
            }

            if (line[i] == (byte)']')
            {
                i++;
                break;
            }

            if (line[i] != (byte)',')
            {
                return false;
            }

            i++;
        }

        if (!Expect(line, ref i, (byte)'}'))
        {
            return false;
        }

        SkipWhitespace(line, ref i);
        if (i != line.Length)
        {
            return false;
        }

        record = new ParsedRecord(new RecordId(id, null), _features.AsSpan(0, count));
        return true;
    }

    // Called between every two tokens: inlined, the usual answer (no whitespace, or one space)
    // costs a compare or two instead of a call.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SkipWhitespace(ReadOnlySpan<byte> line, ref int i)
    {
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }
    }

    private static bool Expect(ReadOnlySpan<byte> line, ref int i, byte expected)
    {
        SkipWhitespace(line, ref i);
        if (i < line.Length && line[i] == expected)
        {
            i++;
            return true;
        }

        return false;
    }

    private static bool ExpectText(ReadOnlySpan<byte> line, ref int i, ReadOnlySpan<byte> expected)
    {
        SkipWhitespace(line, ref i);
        if (line[i..].StartsWith(expected))
        {
            i += expected.Length;
            return true;
        }

        return false;
    }

    /// <summary>A JSON integer of at most 18 digits (always fits a long); no leading zeros, as JSON requires.</summary>
    private static bool TryReadInteger(ReadOnlySpan<byte> line, ref int i, out long value)
    {
        value = 0;
        var negative = i < line.Length && line[i] == (byte)'-';
        var start = negative ? i + 1 : i;
        var end = start;
        while (end < line.Length && (uint)(line[end] - '0') <= 9 && end - start < 19)
        {
            value = (value * 10) + (line[end] - '0');
            end++;
        }

        var digits = end - start;
        if (digits == 0 || digits > 18 || (digits > 1 && line[start] == (byte)'0')
            || (end < line.Length && line[end] is (byte)'.' or (byte)'e' or (byte)'E'))
        {
            return false;
        }

        value = negative ? -value : value;
        i = end;
        return true;
    }

    /// <summary>
    /// A JSON number without exponent, as a correctly rounded double: with at most 15 significant
    /// digits and 22 decimals, mantissa / 10^decimals is exact division of two exact doubles, so
    /// IEEE rounding gives the same bits as any correct parser (Clinger's fast path). Longer
    /// numbers go to <see cref="Utf8Parser"/>, which is correct and slower.
    /// </summary>
    private static bool TryReadDecimal(ReadOnlySpan<byte> line, ref int i, out double value)
    {
        value = 0;
        var start = i;
        var p = i;
        var negative = p < line.Length && line[p] == (byte)'-';
        if (negative)
        {
            p++;
        }

        ulong mantissa = 0;
        var intStart = p;
        while (p < line.Length && (uint)(line[p] - '0') <= 9)
        {
            mantissa = (mantissa * 10) + (uint)(line[p] - '0');
            p++;
        }

        var intDigits = p - intStart;
        if (intDigits == 0 || (intDigits > 1 && line[intStart] == (byte)'0'))
        {
            return false;
        }

        var decimals = 0;
        if (p < line.Length && line[p] == (byte)'.')
        {
            p++;
            var fracStart = p;
            while (p < line.Length && (uint)(line[p] - '0') <= 9)
            {
                mantissa = (mantissa * 10) + (uint)(line[p] - '0');
                p++;
            }

            decimals = p - fracStart;
            if (decimals == 0)
            {
                return false;
            }
        }

        if (p < line.Length && line[p] is (byte)'e' or (byte)'E')
        {
            return false;
        }

        if (intDigits + decimals <= 15 && decimals <= 22)
        {
            // Up to 15 digits the accumulation cannot overflow and the mantissa is below 2^53: exact.
            value = mantissa / PowersOf10[decimals];
        }
        else if (!Utf8Parser.TryParse(line[start..p], out value, out var consumed) || consumed != p - start || !double.IsFinite(value))
        {
            return false;
        }
        else
        {
            i = p;
            return true;
        }

        value = negative ? -value : value;
        i = p;
        return true;
    }

    // A table, never written. (A ReadOnlySpan<double> property over a collection expression
    // allocated a new array per call in Debug builds.)
    private static readonly double[] PowersOf10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    private string? Parse(ReadOnlySpan<byte> line, out ParsedRecord record, out RecordId? id)
    {
        record = default;
        id = null;
        var count = -1;
        var reader = new Utf8JsonReader(line, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return "a record must be a JSON object like {\"id\": 1, \"features\": [1.0, 2.0]}";
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!EscapesDecode(ref reader))
            {
                // A name with a lone surrogate escape is neither "id" nor "features": an unknown member.
                reader.Read();
                reader.Skip();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                if (id is not null)
                {
                    return "\"id\" appears twice";
                }

                reader.Read();
                if (!EscapesDecode(ref reader))
                {
                    return "\"id\" is not valid Unicode: it escapes half of a surrogate pair (\\uD800-\\uDFFF) without the other half";
                }

                if (ReadId(ref reader) is not { } parsedId)
                {
                    return $"\"id\" must be an integer or a non-empty string, got {Describe(reader.TokenType)}";
                }

                id = parsedId;
            }
            else if (reader.ValueTextEquals("features"u8))
            {
                if (count >= 0)
                {
                    return "\"features\" appears twice";
                }

                reader.Read();
                var problem = ReadFeatures(ref reader, out count);
                if (problem is not null)
                {
                    return problem;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // The record's closing brace is read; anything after it other than whitespace makes the reader throw.
        if (reader.Read())
        {
            return "unexpected content after the record";
        }

        if (id is null)
        {
            return "missing \"id\"";
        }

        if (count < 0)
        {
            return "missing \"features\"";
        }

        if (count == 0)
        {
            return "\"features\" is empty: nothing to predict from";
        }

        record = new ParsedRecord(id.Value, _features.AsSpan(0, count));
        return null;
    }

    /// <summary>
    /// Whether the current string or name can be decoded: <see cref="Utf8JsonReader"/> accepts any
    /// <c>\uXXXX</c> escape, as JSON's grammar does, but throws <see cref="InvalidOperationException"/>
    /// when asked to decode (or compare) one that leaves half of a surrogate pair alone. The reader
    /// has checked the escapes' syntax, so only their pairing is left to check, and only when the
    /// token has escapes at all.
    /// </summary>
    private static bool EscapesDecode(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return true;
        }

        var raw = reader.ValueSpan;
        var needLow = false;
        var i = 0;
        while (i < raw.Length)
        {
            if (raw[i] != (byte)'\\' || raw[i + 1] != (byte)'u')
            {
                if (needLow)
                {
                    return false;
                }

                i += raw[i] == (byte)'\\' ? 2 : 1;
                continue;
            }

            if (!Utf8Parser.TryParse(raw.Slice(i + 2, 4), out ushort unit, out _, 'X'))
            {
                return false; // not reached: the reader has checked the four hex digits
            }

            i += 6;
            var isLow = unit is >= 0xDC00 and <= 0xDFFF;
            if (isLow != needLow)
            {
                return false;
            }

            needLow = unit is >= 0xD800 and <= 0xDBFF;
        }

        return !needLow;
    }

    private static RecordId? ReadId(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var number) => new RecordId(number, null),
        JsonTokenType.String when reader.GetString() is { Length: > 0 } text => new RecordId(0, text),
        _ => null,
    };

    private string? ReadFeatures(ref Utf8JsonReader reader, out int count)
    {
        count = 0;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return $"\"features\" must be an array of numbers, got {Describe(reader.TokenType)}";
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                return $"features[{count}] must be a number, got {Describe(reader.TokenType)}";
            }

            if (!reader.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                return $"features[{count}] is not a finite number";
            }

            if (count == _features.Length)
            {
                Array.Resize(ref _features, _features.Length * 2);
            }

            _features[count++] = value;
        }

        return null;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number that is not a whole 64-bit integer",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
