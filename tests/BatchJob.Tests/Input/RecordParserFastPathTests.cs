using System.Globalization;
using System.Text;
using System.Text.Json;
using BatchJob.Input;

namespace BatchJob.Tests.Input;

/// <summary>
/// The parser's fast path for the common record shape must give exactly the doubles (to the bit)
/// and ids that System.Text.Json gives, and leave every other shape to the general path.
/// </summary>
public sealed class RecordParserFastPathTests
{
    public static TheoryData<string> Lines => new()
    {
        """{"id": 1, "features": [1.0, 2.0, 3.0]}""",
        """{"id":2,"features":[4,5,6]}""",
        """  {  "id" :  -3 ,	"features" : [ -0 , -0.0, 0.5 ]  }  """,
        """{"id": 9223372036854775807, "features": [1.5]}""",
        """{"id": 4, "features": [0.1, 0.2, 0.3, 1e3, 2.5E-3, -1.5e+2]}""",
        """{"id": 5, "features": [0.12345678901234567890, 123456789012345678901234567890, 9007199254740993]}""",
        """{"id": 6, "features": [1.7976931348623157e308, 4.9e-324, 0.000000000000000000000001]}""",
        """{"features": [1.0, 2.0], "id": 7}""",
        """{"id": "a-string-id", "features": [1.0]}""",
        """{"id": 8, "features": [1.0], "extra": {"nested": [1, 2]}}""",
        """{"id": 9, "features": [123456789012345.5, 99999999999999.99, 0.000000000000001]}""",
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Parses_like_System_Text_Json(string line) => ShouldMatchReference(line);

    [Fact]
    public void Parses_random_decimals_like_System_Text_Json()
    {
        var random = new Random(12345);
        for (var i = 0; i < 20_000; i++)
        {
            var features = Enumerable.Range(0, random.Next(1, 9)).Select(_ => RandomNumber(random));
            ShouldMatchReference($"{{\"id\": {random.NextInt64(-1_000_000_000_000, 1_000_000_000_000)}, \"features\": [{string.Join(", ", features)}]}}");
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
    public void Rejects_what_JSON_or_the_contract_rejects(string line) =>
        new RecordParser().TryParse(Encoding.UTF8.GetBytes(line), out _, out var error, out _).Should().BeFalse(error);

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

    private static void ShouldMatchReference(string line)
    {
        var parser = new RecordParser();
        parser.TryParse(Encoding.UTF8.GetBytes(line), out var record, out var error, out _).Should().BeTrue(error);
        var reference = JsonDocument.Parse(line).RootElement;
        var id = reference.GetProperty("id");
        if (id.ValueKind == JsonValueKind.Number)
        {
            record.Id.Number.Should().Be(id.GetInt64(), line);
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
