using BatchJob.Configuration;

namespace BatchJob.Tests.Configuration;

/// <summary>
/// W3C Baggage as BAGGAGE carries it: entries in order, values percent-decoded, properties dropped,
/// the W3C limits kept; anything else ignored as a whole with a reason, never thrown.
/// </summary>
public sealed class W3CBaggageTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t ")]
    public void Absent_baggage_is_none_and_no_problem(string? header)
    {
        W3CBaggage.Parse(header).Should().Be(W3CBaggage.None);
    }

    [Fact]
    public void Entries_come_in_order_with_their_values_percent_decoded()
    {
        var baggage = W3CBaggage.Parse("cost_center=ml-platform,team=lab%20one,accent=caf%C3%A9,odd=a=b%2Cc");

        baggage.Problem.Should().BeNull();
        baggage.Entries.Should().Equal(
            new KeyValuePair<string, string>("cost_center", "ml-platform"),
            new KeyValuePair<string, string>("team", "lab one"),
            new KeyValuePair<string, string>("accent", "café"),
            new KeyValuePair<string, string>("odd", "a=b,c"));
    }

    [Fact]
    public void Properties_after_a_semicolon_are_dropped_and_optional_whitespace_is_trimmed()
    {
        var baggage = W3CBaggage.Parse(" a = 1 ;ttl=30;flag ,\tb=2\t, c=3;x");

        baggage.Problem.Should().BeNull();
        baggage.Entries.Should().Equal(
            new KeyValuePair<string, string>("a", "1"),
            new KeyValuePair<string, string>("b", "2"),
            new KeyValuePair<string, string>("c", "3"));
    }

    [Fact]
    public void Up_to_180_entries_are_kept_and_181_ignore_the_whole_baggage()
    {
        W3CBaggage.Parse(Members(W3CBaggage.MaxEntries)).Entries.Should().HaveCount(180);

        var over = W3CBaggage.Parse(Members(W3CBaggage.MaxEntries + 1));

        over.Entries.Should().BeEmpty();
        over.Problem.Should().Contain("180 entries");
    }

    [Fact]
    public void An_entry_of_4096_bytes_is_kept_and_one_byte_more_ignores_the_baggage()
    {
        var fits = "k=" + new string('v', W3CBaggage.MaxEntryBytes - 2);
        W3CBaggage.Parse(fits).Entries.Should().ContainSingle().Which.Value.Should().HaveLength(W3CBaggage.MaxEntryBytes - 2);

        var over = W3CBaggage.Parse("a=1," + fits + "v");

        over.Entries.Should().BeEmpty();
        over.Problem.Should().Contain("entry 2").And.Contain("4096 bytes");
    }

    [Fact]
    public void More_than_8192_bytes_in_all_ignores_the_baggage_even_when_each_entry_fits()
    {
        var entry = new string('v', 2000);
        var fits = string.Join(',', Enumerable.Range(0, 4).Select(i => $"k{i}={entry}"));
        Encoding().GetByteCount(fits).Should().BeLessThanOrEqualTo(W3CBaggage.MaxBytes);
        W3CBaggage.Parse(fits).Entries.Should().HaveCount(4);

        var over = W3CBaggage.Parse(fits + ",k4=" + entry);

        over.Entries.Should().BeEmpty();
        over.Problem.Should().Contain("8192 bytes");
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=x")]
    [InlineData("a=1,,b=2")]
    [InlineData("a=1,")]
    [InlineData("k y=1")]
    [InlineData("k(=1")]
    [InlineData("ké=1")]
    public void A_member_that_is_not_key_equals_value_with_a_token_key_ignores_the_baggage(string header)
    {
        var baggage = W3CBaggage.Parse(header);

        baggage.Entries.Should().BeEmpty();
        baggage.Problem.Should().Contain("not key=value");
    }

    [Theory]
    [InlineData("k=va lue")]
    [InlineData("k=\"quoted\"")]
    [InlineData("k=back\\slash")]
    [InlineData("k=café")]
    [InlineData("k=%")]
    [InlineData("k=%4")]
    [InlineData("k=ab%4")]
    [InlineData("k=%zz")]
    [InlineData("k=%+1")]
    [InlineData("k=%ff")]
    [InlineData("k=%C3%28")]
    [InlineData("k=%ED%A0%80")]
    public void A_value_with_a_raw_character_a_bad_escape_or_bytes_that_are_not_UTF8_ignores_the_baggage(string header)
    {
        var baggage = W3CBaggage.Parse("ok=1," + header);

        baggage.Entries.Should().BeEmpty("one bad entry ignores all of it");
        baggage.Problem.Should().Contain("entry 2").And.Contain("'k'");
    }

    [Fact]
    public void No_header_throws_whatever_character_it_holds()
    {
        // Every character up to U+017F, and lone surrogates, in the key, the value and the property.
        var characters = Enumerable.Range(0, 0x180).Select(c => ((char)c).ToString()).Concat(["\uD800", "\uDC00"]);
        foreach (var c in characters)
        {
            foreach (var header in new[] { $"k{c}=v", $"k=v{c}", $"k=v;{c}", $"k=%{c}", c })
            {
                var parse = () => W3CBaggage.Parse(header);
                var baggage = parse.Should().NotThrow($"header {header}").Subject;
                (baggage.Entries.Count > 0 && baggage.Problem is not null).Should().BeFalse($"header {header} is either used or ignored with a reason");
            }
        }
    }

    private static string Members(int count) => string.Join(',', Enumerable.Range(0, count).Select(i => $"k{i}=v"));

    private static System.Text.Encoding Encoding() => System.Text.Encoding.UTF8;
}
