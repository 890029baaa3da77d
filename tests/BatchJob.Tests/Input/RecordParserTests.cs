using System.Text;
using BatchJob.Input;

namespace BatchJob.Tests.Input;

public sealed class RecordParserTests
{
    private readonly RecordParser _parser = new();

    private (bool Ok, string? Error, RecordId? Id, double[] Features) Parse(string line) => Parse(Encoding.UTF8.GetBytes(line));

    private (bool Ok, string? Error, RecordId? Id, double[] Features) Parse(byte[] line)
    {
        var ok = _parser.TryParse(line, out var record, out var error, out var idSeen);
        return (ok, error, ok ? record.Id : idSeen, record.Features.ToArray());
    }

    [Fact]
    public void Parses_the_guide_records()
    {
        var result = Parse("""{"id": 1, "features": [1.0, 2.0, 3.0]}""");

        result.Ok.Should().BeTrue(result.Error);
        result.Id.Should().Be(new RecordId(1, null));
        result.Features.Should().Equal(1.0, 2.0, 3.0);
    }

    [Fact]
    public void Accepts_string_ids_extra_fields_any_key_order_and_escaped_names()
    {
        var result = Parse("""{"meta": {"src": [1, {"a": null}]}, "features": [1e2, -0.5, 3], "\u0069d": "rec-7"}""");

        result.Ok.Should().BeTrue(result.Error);
        result.Id.Should().Be(new RecordId(0, "rec-7"));
        result.Features.Should().Equal(100, -0.5, 3);
    }

    [Fact]
    public void Reuses_its_buffer_and_grows_it_for_wide_records()
    {
        var wide = "{\"id\": 9, \"features\": [" + string.Join(", ", Enumerable.Range(1, 1000)) + "]}";

        Parse(wide).Features.Should().HaveCount(1000).And.EndWith(1000);
        Parse("""{"id": 1, "features": [5]}""").Features.Should().Equal(5);
    }

    [Theory]
    [InlineData("""{"id": 1, "features": [1, 2""", "invalid JSON: *")]
    [InlineData("""not json""", "invalid JSON: *")]
    [InlineData("""[1, 2, 3]""", "a record must be a JSON object*")]
    [InlineData("""42""", "a record must be a JSON object*")]
    [InlineData("""{"features": [1]}""", "missing \"id\"")]
    [InlineData("""{"id": 1}""", "missing \"features\"")]
    [InlineData("""{"id": 1, "features": []}""", "\"features\" is empty*")]
    [InlineData("""{"id": 1, "features": "1,2"}""", "\"features\" must be an array of numbers, got a string")]
    [InlineData("""{"id": 1, "features": null}""", "\"features\" must be an array of numbers, got null")]
    [InlineData("""{"id": 1, "features": [1, "2"]}""", "features[1] must be a number, got a string")]
    [InlineData("""{"id": 1, "features": [[1, 2]]}""", "features[0] must be a number, got an array")]
    [InlineData("""{"id": 1, "features": [1, true]}""", "features[1] must be a number, got a boolean")]
    [InlineData("""{"id": 1, "features": [1e400]}""", "features[0] is not a finite number")]
    [InlineData("""{"id": 1, "features": [NaN]}""", "invalid JSON: *")]
    [InlineData("""{"id": 1.5, "features": [1]}""", "\"id\" must be an integer or a non-empty string*")]
    [InlineData("""{"id": null, "features": [1]}""", "\"id\" must be an integer or a non-empty string, got null")]
    [InlineData("""{"id": [1], "features": [1]}""", "\"id\" must be an integer or a non-empty string, got an array")]
    [InlineData("""{"id": 1, "id": 2, "features": [1]}""", "\"id\" appears twice")]
    [InlineData("""{"id": 1, "features": [1], "features": [2]}""", "\"features\" appears twice")]
    [InlineData("""{"id": 1, "features": [1]} trailing""", "invalid JSON: *")]
    [InlineData("""{"id": 1, "features": [1]}{"id": 2, "features": [2]}""", "invalid JSON: *")]
    [InlineData("{\"id\": 1, \"features\": [1] /* comment */}", "invalid JSON: *")]
    public void Rejects_each_kind_of_bad_line_with_a_reason(string line, string reason)
    {
        var result = Parse(line);

        result.Ok.Should().BeFalse();
        result.Error.Should().Match(reason);
    }

    [Fact]
    public void Rejects_invalid_UTF8_NUL_bytes_and_absurd_nesting()
    {
        Parse([(byte)'{', 0xC3, 0x28, (byte)'}']).Error.Should().Be("line is not valid UTF-8");
        Parse("{\"id\": 1,\0 \"features\": [1]}").Error.Should().StartWith("invalid JSON:");
        Parse("{\"id\": 1, \"features\": [1], \"x\": " + new string('[', 10_000) + new string(']', 10_000) + "}")
            .Error.Should().StartWith("invalid JSON:").And.Contain("depth");
    }

    [Fact]
    public void Reports_the_id_of_a_record_that_fails_after_its_id()
    {
        var result = Parse("""{"id": 42, "features": ["x"]}""");

        result.Ok.Should().BeFalse();
        result.Id.Should().Be(new RecordId(42, null));
    }

    [Fact]
    public void Parsing_a_valid_record_with_a_numeric_id_allocates_nothing()
    {
        var line = """{"id": 123, "features": [1.5, 2.25, 3.0, 4.0]}"""u8.ToArray();
        _parser.TryParse(line, out _, out _, out _).Should().BeTrue();

        var parsed = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            parsed += _parser.TryParse(line, out _, out _, out _) ? 1 : 0;
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        parsed.Should().Be(1000);
    }
}
