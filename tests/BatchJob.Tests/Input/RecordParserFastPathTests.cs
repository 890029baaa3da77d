using System.Globalization;
using System.Text;
using System.Text.Json;
using BatchJob.Input;

namespace BatchJob.Tests.Input;

/// <summary>
/// The parser's fast path for the common record shape must take that shape (a fast path that
/// always declined would give the same records through the general path, only slower, so these
/// tests call it directly), give exactly the doubles (to the bit) and ids that System.Text.Json
/// gives, and leave every other shape to the general path.
/// </summary>
public sealed class RecordParserFastPathTests
{
    /// <summary>Lines and whether the fast path must take them (true) or leave them to the general path (false).</summary>
    public static TheoryData<string, bool> Lines => new()
    {
        { """{"id": 1, "features": [1.0, 2.0, 3.0]}""", true },
        { """{"id":2,"features":[4,5,6]}""", true },
        { """  {  "id" :  -3 ,	"features" : [ -0 , -0.0, 0.5 ]  }  """, true },
        { "{\"id\":\r\n0,\t\"features\":\n[\r7\t]\r}", true },
        { """{"id": 999999999999999999, "features": [1]}""", true },
        { """{"id": -999999999999999999, "features": [1]}""", true },
        { """{"id": 5, "features": [0.12345678901234567890, 123456789012345678901234567890, 9007199254740993]}""", true },
        { """{"id": 9, "features": [123456789012345.5, 99999999999999.99, 0.000000000000001]}""", true },
        { "{\"id\": 10, \"features\": [" + string.Join(", ", Enumerable.Range(1, 40).Select(i => i + ".25")) + "]}", true },
        { """{"id": 9223372036854775807, "features": [1.5]}""", false },
        { """{"id": 4, "features": [0.1, 0.2, 0.3, 1e3, 2.5E-3, -1.5e+2]}""", false },
        { """{"id": 6, "features": [1.7976931348623157e308, 4.9e-324, 0.000000000000000000000001]}""", false },
        { """{"features": [1.0, 2.0], "id": 7}""", false },
        { """{"id": "a-string-id", "features": [1.0]}""", false },
        { """{"id": 8, "features": [1.0], "extra": {"nested": [1, 2]}}""", false },
        { """{"\u0069d": 11, "features": [1.0]}""", false },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Takes_the_common_shape_and_parses_like_System_Text_Json(string line, bool fast)
    {
        var bytes = Encoding.UTF8.GetBytes(line);

        var parser = new RecordParser();
        parser.TryParseCanonical(bytes, out var quick).Should().Be(fast, line);
        if (fast)
        {
            ShouldMatchReference(line, quick);
        }

        new RecordParser().TryParse(bytes, out var record, out var error, out _).Should().BeTrue(error);
        ShouldMatchReference(line, record);
    }

    [Fact]
    public void Takes_random_decimals_and_parses_them_like_System_Text_Json()
    {
        var random = new Random(12345);
        var parser = new RecordParser();
        for (var i = 0; i < 20_000; i++)
        {
            var features = Enumerable.Range(0, random.Next(1, 9)).Select(_ => RandomNumber(random));
            var line = $"{{\"id\": {random.NextInt64(-1_000_000_000_000, 1_000_000_000_000)}, \"features\": [{string.Join(", ", features)}]}}";
            parser.TryParseCanonical(Encoding.UTF8.GetBytes(line), out var record).Should().BeTrue(line);
            ShouldMatchReference(line, record);
        }
    }

    [Theory]
    [InlineData("""{"id": 01, "features": [1.0]}""")]
    [InlineData("""{"id": 1, "features": [01.5]}""")]
    [InlineData("""{"id": 1, "features": [1.]}""")]
    [InlineData("""{"id": 1, "features": [.5]}""")]
    [InlineData("""{"id": 1, "features": []}""")]
    [InlineData("""{"id": 1, "features": [1.0,]}""")]
    [InlineData("""{"id": 1, "features": [1.0]} x""")]
    [InlineData("""{"id": 1, "features": [1.0]""")]
    [InlineData("""{"id": 1.5, "features": [1.0]}""")]
    [InlineData("""{"id": 1, "features": [1e999]}""")]
    [InlineData("{\"id\": 1, \"features\": [1.0]}\f")]
    [InlineData("""{"id": - 1, "features": [1.0]}""")]
    [InlineData("""{"id": 1, "features": [1.0]}}""")]
    public void Rejects_what_JSON_or_the_contract_rejects(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);

        new RecordParser().TryParseCanonical(bytes, out _).Should().BeFalse(line);
        new RecordParser().TryParse(bytes, out _, out var error, out _).Should().BeFalse(error);
    }

    private static string RandomNumber(Random random)
    {
        var digits = random.Next(1, 19);
        var decimals = random.Next(0, Math.Min(digits, 17));
        var text = new StringBuilder(random.Next(2) == 0 ? "-" : string.Empty);
        var whole = digits - decimals;
        text.Append((char)('1' + random.Next(9)));
        for (var d = 1; d < whole; d++)
        {
            text.Append((char)('0' + random.Next(10)));
        }

        if (decimals > 0)
        {
            text.Append('.');
            for (var d = 0; d < decimals; d++)
            {
                text.Append((char)('0' + random.Next(10)));
            }
        }

        return text.ToString();
    }

    private static void ShouldMatchReference(string line, ParsedRecord record)
    {
        var reference = JsonDocument.Parse(line).RootElement;
        var id = reference.GetProperty("id");
        if (id.ValueKind == JsonValueKind.Number)
        {
            record.Id.Number.Should().Be(id.GetInt64(), line);
            record.Id.Text.Should().BeNull(line);
        }
        else
        {
            record.Id.Text.Should().Be(id.GetString(), line);
        }

        var expected = reference.GetProperty("features").EnumerateArray().Select(f => BitConverter.DoubleToInt64Bits(f.GetDouble())).ToList();
        var actual = record.Features.ToArray().Select(BitConverter.DoubleToInt64Bits).ToList();
        actual.Should().Equal(expected, line + " -> " + string.Join(", ", record.Features.ToArray().Select(f => f.ToString("R", CultureInfo.InvariantCulture))));
    }
}
