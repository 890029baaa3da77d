using System.Text.Json;
using System.Text.Unicode;

namespace BatchJob.Input;

/// <summary>
/// Parses one JSON Lines record, <c>{"id": 1, "features": [1.0, 2.0, 3.0]}</c>, straight from UTF-8
/// bytes into a reused feature buffer. A line that is not a valid record gets a reason a person can
/// act on; valid records cost no allocation (but a string id).
/// </summary>
public sealed class RecordParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 32 };

    private double[] _features = new double[16];

    /// <summary>Parses <paramref name="line"/>; on failure returns false with <paramref name="error"/> saying why.</summary>
    public bool TryParse(ReadOnlySpan<byte> line, out ParsedRecord record, out string? error, out RecordId? idSeen)
    {
        record = default;
        idSeen = null;
        if (!Utf8.IsValid(line))
        {
            error = "line is not valid UTF-8";
            return false;
        }

        try
        {
            error = Parse(line, out record, out idSeen);
            return error is null;
        }
        catch (JsonException e)
        {
            error = "invalid JSON: " + e.Message;
            return false;
        }
    }

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
            if (reader.ValueTextEquals("id"u8))
            {
                if (id is not null)
                {
                    return "\"id\" appears twice";
                }

                reader.Read();
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
