using System.Text;

namespace BatchJob.Tests.Input;

/// <summary>
/// Every way we know a line can be odd, by class, each with what it must become: a record (with
/// this id) or a failure (with a reason matching this pattern). Shared by the parser's table test
/// and the whole-run test that feeds them all to the worker at once.
/// </summary>
internal static class OddLines
{
    private static readonly string Deep31 = new('[', 31);
    private static readonly string Deep31End = new(']', 31);

    /// <summary>(description, line bytes, expected id as text) for lines that must parse.</summary>
    public static TheoryData<string, byte[], string> Records => new()
    {
        // Escapes: surrogates that pair, escaped names, escaped ids.
        { "surrogate pair in a string id", Utf8("""{"id": "\ud83d\ude00", "features": [1]}"""), "\U0001F600" },
        { "escaped key name 'features'", Utf8("""{"id": 1, "fe\u0061tures": [1]}"""), "1" },
        { "every escape in a key", Utf8("""{"\u0069\u0064": 2, "\u0066\u0065\u0061\u0074\u0075\u0072\u0065\u0073": [1]}"""), "2" },
        { "escaped NUL in a string id", Utf8("""{"id": "a\u0000b", "features": [1]}"""), "a\0b" },
        { "escaped BOM in a string id", Utf8("""{"id": "\ufeffx", "features": [1]}"""), "\uFEFFx" },
        { "simple escapes in a string id", Utf8("""{"id": "q\"\\\/\b\f\n\r\t", "features": [1]}"""), "q\"\\/\b\f\n\r\t" },
        { "lone high surrogate in an unknown key", Utf8("""{"\ud800": 1, "id": 3, "features": [1]}"""), "3" },
        { "lone low surrogate in an unknown key", Utf8("""{"id": 3, "features": [1], "x\udc00": 1}"""), "3" },
        { "lone surrogate in an unknown value", Utf8("""{"id": 4, "features": [1], "note": "\ud800"}"""), "4" },
        { "raw non-ASCII in a string id", Utf8("""{"id": "日本-é", "features": [1]}"""), "日本-é" },
        { "raw U+2028 in a string id", Utf8("{\"id\": \"a\u2028b\", \"features\": [1]}"), "a\u2028b" },
        { "raw BOM inside a string id", Utf8("{\"id\": \"\uFEFF7\", \"features\": [1]}"), "\uFEFF7" },
        { "whitespace-only string id", Utf8("""{"id": " ", "features": [1]}"""), " " },

        // Numbers at the edges of long and double.
        { "id long.MaxValue", Utf8("""{"id": 9223372036854775807, "features": [1]}"""), "9223372036854775807" },
        { "id long.MinValue", Utf8("""{"id": -9223372036854775808, "features": [1]}"""), "-9223372036854775808" },
        { "id -0", Utf8("""{"id": -0, "features": [1]}"""), "0" },
        { "id 0", Utf8("""{"id": 0, "features": [1]}"""), "0" },
        { "feature double.MaxValue", Utf8("""{"id": 5, "features": [1.7976931348623157e308]}"""), "5" },
        { "feature subnormal", Utf8("""{"id": 5, "features": [4.9e-324]}"""), "5" },
        { "feature underflows to 0", Utf8("""{"id": 5, "features": [1e-400]}"""), "5" },
        { "feature with 400 digits after the point", Utf8("{\"id\": 5, \"features\": [0." + new string('3', 400) + "]}"), "5" },

        // Shape: whitespace, nesting within the limit, extra members, sizes.
        { "CR inside the line", Utf8("{\"id\": 6,\r\"features\": [1]}"), "6" },
        { "tabs and spaces everywhere", Utf8("\t{ \"id\"\t:\t6 , \"features\" : [ 1 ] }\t "), "6" },
        { "nesting 32 deep in an unknown member", Utf8("{\"id\": 7, \"features\": [1], \"x\": " + Deep31 + Deep31End + "}"), "7" },
        { "unknown members of every type", Utf8("""{"a": null, "b": true, "c": {"d": [1, "e"]}, "id": 8, "features": [1], "z": -1e9}"""), "8" },
        { "keys differing only in case", Utf8("""{"ID": 0, "Features": "x", "id": 9, "features": [1]}"""), "9" },
        { "100 KB string id", Utf8("{\"id\": \"" + new string('k', 100_000) + "\", \"features\": [1]}"), new string('k', 100_000) },
        { "10,000 features", Utf8("{\"id\": 10, \"features\": [" + string.Join(',', Enumerable.Repeat("0.5", 10_000)) + "]}"), "10" },
    };

    /// <summary>(description, line bytes, reason pattern) for lines that must fail.</summary>
    public static TheoryData<string, byte[], string> Failures => new()
    {
        // Escapes that decode to invalid UTF-16.
        { "lone high surrogate id", Utf8("""{"id": "\ud800", "features": [1]}"""), "\"id\" is not valid Unicode*" },
        { "lone low surrogate id", Utf8("""{"id": "\udc00", "features": [1]}"""), "\"id\" is not valid Unicode*" },
        { "surrogates in the wrong order", Utf8("""{"id": "\udc00\ud800", "features": [1]}"""), "\"id\" is not valid Unicode*" },
        { "high surrogate then a letter", Utf8("""{"id": "\ud800x", "features": [1]}"""), "\"id\" is not valid Unicode*" },
        { "high surrogate then a non-surrogate escape", Utf8("""{"id": "\ud800\u0041", "features": [1]}"""), "\"id\" is not valid Unicode*" },
        { "high surrogate then another escape", Utf8("""{"id": "\ud800\n", "features": [1]}"""), "\"id\" is not valid Unicode*" },
        { "two high surrogates", Utf8("""{"id": "\ud800\ud800", "features": [1]}"""), "\"id\" is not valid Unicode*" },
        { "high surrogate at the end of an id", Utf8("""{"id": "ok\ud83d", "features": [1]}"""), "\"id\" is not valid Unicode*" },
        { "lone surrogate id after features", Utf8("""{"features": [1], "id": "\udfff"}"""), "\"id\" is not valid Unicode*" },
        { "lone surrogate in the name 'features'", Utf8("""{"id": 1, "fe\ud800atures": [1]}"""), "missing \"features\"" },
        { "lone surrogate in the name 'id'", Utf8("""{"i\udbffd": 1, "features": [1]}"""), "missing \"id\"" },
        { "lone surrogate string as a feature", Utf8("""{"id": 1, "features": ["\ud800"]}"""), "features[0] must be a number, got a string" },
        { "invalid escape", Utf8("""{"id": "\x41", "features": [1]}"""), "invalid JSON: *" },
        { "short \\u escape", Utf8("""{"id": "\u12", "features": [1]}"""), "invalid JSON: *" },
        { "non-hex \\u escape", Utf8("""{"id": "\uZZZZ", "features": [1]}"""), "invalid JSON: *" },

        // Bytes that are not UTF-8.
        { "invalid UTF-8 in a string", [.. Utf8("{\"id\": \""), 0xC3, 0x28, .. Utf8("\", \"features\": [1]}")], "line is not valid UTF-8" },
        { "overlong '/' (2 bytes)", [.. Utf8("{\"id\": \""), 0xC0, 0xAF, .. Utf8("\", \"features\": [1]}")], "line is not valid UTF-8" },
        { "overlong '/' (3 bytes)", [.. Utf8("{\"id\": \""), 0xE0, 0x80, 0xAF, .. Utf8("\", \"features\": [1]}")], "line is not valid UTF-8" },
        { "overlong NUL (2 bytes)", [.. Utf8("{\"id\": \""), 0xC0, 0x80, .. Utf8("\", \"features\": [1]}")], "line is not valid UTF-8" },
        { "UTF-8-encoded surrogate (CESU)", [.. Utf8("{\"id\": \""), 0xED, 0xA0, 0x80, .. Utf8("\", \"features\": [1]}")], "line is not valid UTF-8" },
        { "code point above U+10FFFF", [.. Utf8("{\"id\": \""), 0xF4, 0x90, 0x80, 0x80, .. Utf8("\", \"features\": [1]}")], "line is not valid UTF-8" },
        { "truncated sequence at the end", [.. Utf8("{\"id\": 1, \"features\": [1]}"), 0xE2, 0x82], "line is not valid UTF-8" },
        { "stray continuation byte", [0x80, .. Utf8("{\"id\": 1, \"features\": [1]}")], "line is not valid UTF-8" },
        { "0xFF byte", [.. Utf8("{\"id\": 1, \"features\": [1]}"), 0xFF], "line is not valid UTF-8" },
        { "Latin-1 byte in a key", [.. Utf8("{\"id\": 1, \"features\": [1], \"caf"), 0xE9, .. Utf8("\": 1}")], "line is not valid UTF-8" },

        // NUL and other control bytes.
        { "raw NUL between members", Utf8("{\"id\": 1,\0 \"features\": [1]}"), "invalid JSON: *" },
        { "raw NUL inside a string id", Utf8("{\"id\": \"a\0b\", \"features\": [1]}"), "invalid JSON: *" },
        { "raw NUL after the record", Utf8("{\"id\": 1, \"features\": [1]}\0"), "invalid JSON: *" },
        { "raw tab inside a string id", Utf8("{\"id\": \"a\tb\", \"features\": [1]}"), "invalid JSON: *" },
        { "form feed as whitespace", Utf8("{\"id\": 1,\f\"features\": [1]}"), "invalid JSON: *" },
        { "no-break space as whitespace", Utf8("{\"id\": 1,\u00A0\"features\": [1]}"), "invalid JSON: *" },

        // A BOM anywhere but the start of the file.
        { "BOM starting a later line", [0xEF, 0xBB, 0xBF, .. Utf8("{\"id\": 1, \"features\": [1]}")], "invalid JSON: *" },
        { "BOM between members", Utf8("{\"id\": 1, \uFEFF\"features\": [1]}"), "invalid JSON: *" },

        // Nesting.
        { "nesting 33 deep", Utf8("{\"id\": 1, \"features\": [1], \"x\": " + Deep31 + "[]" + Deep31End + "}"), "invalid JSON: *depth*" },
        { "nesting 10,000 deep", Utf8("{\"id\": 1, \"features\": [1], \"x\": " + new string('[', 10_000) + new string(']', 10_000) + "}"), "invalid JSON: *depth*" },
        { "features nested in arrays", Utf8("""{"id": 1, "features": [[1]]}"""), "features[0] must be a number, got an array" },

        // Numbers at and past the edges.
        { "id long.MaxValue + 1", Utf8("""{"id": 9223372036854775808, "features": [1]}"""), "\"id\" must be an integer or a non-empty string, got a number that is not a whole 64-bit integer" },
        { "id long.MinValue - 1", Utf8("""{"id": -9223372036854775809, "features": [1]}"""), "\"id\" must be an integer or a non-empty string, got a number that is not a whole 64-bit integer" },
        { "id with 400 digits", Utf8("{\"id\": 1" + new string('0', 400) + ", \"features\": [1]}"), "\"id\" must be an integer*" },
        { "id with a fraction", Utf8("""{"id": 1.0, "features": [1]}"""), "\"id\" must be an integer*" },
        { "id with an exponent", Utf8("""{"id": 1e3, "features": [1]}"""), "\"id\" must be an integer*" },
        { "id as a boolean", Utf8("""{"id": true, "features": [1]}"""), "\"id\" must be an integer or a non-empty string, got a boolean" },
        { "id as an object", Utf8("""{"id": {}, "features": [1]}"""), "\"id\" must be an integer or a non-empty string, got an object" },
        { "empty string id", Utf8("""{"id": "", "features": [1]}"""), "\"id\" must be an integer or a non-empty string, got a string" },
        { "feature past double.MaxValue", Utf8("""{"id": 1, "features": [1.7976931348623159e308]}"""), "features[0] is not a finite number" },
        { "feature -1e999", Utf8("""{"id": 1, "features": [-1e999]}"""), "features[0] is not a finite number" },
        { "feature with 400 digits", Utf8("{\"id\": 1, \"features\": [1" + new string('0', 400) + "]}"), "features[0] is not a finite number" },
        { "leading plus", Utf8("""{"id": 1, "features": [+1]}"""), "invalid JSON: *" },
        { "leading zero", Utf8("""{"id": 1, "features": [01]}"""), "invalid JSON: *" },
        { "hexadecimal", Utf8("""{"id": 1, "features": [0x10]}"""), "invalid JSON: *" },
        { "NaN", Utf8("""{"id": 1, "features": [NaN]}"""), "invalid JSON: *" },
        { "Infinity", Utf8("""{"id": 1, "features": [Infinity]}"""), "invalid JSON: *" },
        { "bare minus", Utf8("""{"id": 1, "features": [-]}"""), "invalid JSON: *" },
        { "exponent without digits", Utf8("""{"id": 1, "features": [1e]}"""), "invalid JSON: *" },

        // Duplicate keys, however spelled.
        { "id twice", Utf8("""{"id": 1, "id": 1, "features": [1]}"""), "\"id\" appears twice" },
        { "id twice, once escaped", Utf8("""{"id": 1, "\u0069d": 2, "features": [1]}"""), "\"id\" appears twice" },
        { "features twice, once escaped", Utf8("""{"id": 1, "features": [1], "feature\u0073": [2]}"""), "\"features\" appears twice" },

        // Not JSON, not an object, not one value.
        { "single quotes", Utf8("{'id': 1, 'features': [1]}"), "invalid JSON: *" },
        { "unquoted keys", Utf8("{id: 1, features: [1]}"), "invalid JSON: *" },
        { "trailing comma in the object", Utf8("""{"id": 1, "features": [1],}"""), "invalid JSON: *" },
        { "trailing comma in the array", Utf8("""{"id": 1, "features": [1,]}"""), "invalid JSON: *" },
        { "comment", Utf8("""{"id": 1, "features": [1]} // note"""), "invalid JSON: *" },
        { "two records on one line", Utf8("""{"id": 1, "features": [1]} {"id": 2, "features": [2]}"""), "invalid JSON: *" },
        { "unterminated string", Utf8("""{"id": "abc, "features": [1]}"""), "invalid JSON: *" },
        { "only a brace", Utf8("{"), "invalid JSON: *" },
        { "empty object", Utf8("{}"), "missing \"id\"" },
        { "null", Utf8("null"), "a record must be a JSON object*" },
        { "a string", Utf8("\"record\""), "a record must be a JSON object*" },
        { "an array of records", Utf8("""[{"id": 1, "features": [1]}]"""), "a record must be a JSON object*" },
    };

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
