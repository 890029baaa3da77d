using System.Text;
using System.Text.Json;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Output;

/// <summary>
/// REJECTS_PATH: every rejected line, exactly as it was, with its number and why; so every input
/// line ends as a prediction, a rejected line in this file, or a blank line.
/// </summary>
[Collection(WorkerSourceListeners.Name)]
public sealed class RejectsFileTests
{
    private static readonly byte[][] Lines =
    [
        "{\"id\": 1, \"features\": [1.0, 2.0]}"u8.ToArray(),
        "{\"id\": 2, \"features\": [1, 2"u8.ToArray(),
        ""u8.ToArray(),
        "{\"id\": 3, \"features\": [\"a\"]}"u8.ToArray(),
        [0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0xFF, 0xFE, 0x7D],
        "{\"id\": 5, \"features\": [1e308, 1e308]}"u8.ToArray(),
        "{\"id\": \"é \\\" \\u2028\", \"features\": \"x\"}"u8.ToArray(),
        Encoding.UTF8.GetBytes("{\"id\": 7, \"features\": [" + string.Join(", ", Enumerable.Repeat("1.5", 60)) + "]}"),
        "  {\"id\": 8, \"features\": [2.5]}  "u8.ToArray(),
    ];

    private static (ExitCode Code, IReadOnlyList<JsonElement> Lines, string Stdout, string Input, string Rejects) Run(string? lineEnding = "\n")
    {
        var input = InProcessRun.TempInput([.. Lines.SelectMany(l => l.Concat(Encoding.ASCII.GetBytes(lineEnding!)))]);
        var rejects = Path.Combine(Path.GetDirectoryName(input)!, "rejects.jsonl");
        var (code, lines, stdout) = InProcessRun.Run(
            new Dictionary<string, string?> { ["INPUT_PATH"] = input, ["MAX_FAILED_RATIO"] = "1", ["MAX_LINE_BYTES"] = "128" },
            ["--rejects", rejects]);
        return (code, lines, stdout, input, rejects);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Every_rejected_line_is_in_the_file_exactly_as_it_was_with_its_number_and_reason(string lineEnding)
    {
        var (code, lines, stdout, input, rejectsPath) = Run(lineEnding);

        code.Should().Be(ExitCode.Success, stdout);
        var rejects = File.ReadAllLines(rejectsPath).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var failed = lines.WithMessage("Record failed").ToList();
        rejects.Select(r => r.GetProperty("line").GetInt64()).Should().Equal(failed.Select(f => f.GetProperty("line").GetInt64()));
        rejects.Select(r => r.GetProperty("message").GetString()).Should().Equal(failed.Select(f => f.GetProperty("error").GetString()));
        rejects.Count.Should().Be((int)lines.WithMessage("Batch job completed").Single().GetProperty("summary").GetProperty("failed").GetInt64());
        rejects.Select(r => r.GetProperty("error").GetString()).Should().Equal(
            "invalid_json", "invalid_record", "invalid_utf8", "overflow", "invalid_record", "line_too_long");

        var inputBytes = File.ReadAllBytes(input);
        foreach (var reject in rejects)
        {
            var original = Lines[reject.GetProperty("line").GetInt64() - 1];
            var located = reject.GetProperty("error").GetString() == "line_too_long";
            reject.TryGetProperty("raw", out _).Should().Be(!located && System.Text.Unicode.Utf8.IsValid(original), "a UTF-8 line is kept as readable text");
            if (reject.TryGetProperty("raw", out var raw))
            {
                Encoding.UTF8.GetBytes(raw.GetString()!).Should().Equal(original, "the raw line is kept exactly");
            }
            else if (reject.TryGetProperty("raw_base64", out var base64))
            {
                base64.GetBytesFromBase64().Should().Equal(original, "bytes that are not UTF-8 are kept as base64");
            }
            else
            {
                // Too long to hold: located instead, its line ending included.
                var offset = reject.GetProperty("offset").GetInt64();
                var length = reject.GetProperty("length").GetInt32();
                inputBytes.AsSpan((int)offset, length).ToArray().Should().Equal(original.Concat(Encoding.ASCII.GetBytes(lineEnding)));
            }
        }
    }

    [Fact]
    public void Predictions_rejects_and_blank_lines_account_for_every_input_line()
    {
        var (_, lines, _, _, rejectsPath) = Run();

        var summary = lines.WithMessage("Batch job completed").Single().GetProperty("summary");
        (summary.GetProperty("successful").GetInt64() + File.ReadAllLines(rejectsPath).Length + summary.GetProperty("blank_lines").GetInt64())
            .Should().Be(Lines.Length);
    }

    [Fact]
    public void Without_rejects_nothing_is_written_and_an_empty_file_is_published_when_asked()
    {
        var input = InProcessRun.TempInput("{\"id\": 1, \"features\": [1]}\n");
        var rejects = Path.Combine(Path.GetDirectoryName(input)!, "rejects.jsonl");

        var (code, _, stdout) = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = input, ["REJECTS_PATH"] = rejects });

        code.Should().Be(ExitCode.Success, stdout);
        File.ReadAllText(rejects).Should().BeEmpty("a run with no rejected line says so with an empty file");
        Directory.GetFiles(Path.GetDirectoryName(input)!).Select(Path.GetFileName).Should().BeEquivalentTo(["input.jsonl", "rejects.jsonl"], "no temporary file is left");
    }

    [Fact]
    public void The_rejects_file_cannot_be_the_predictions_file_or_the_input()
    {
        var input = InProcessRun.TempInput("{\"id\": 1, \"features\": [1]}\n");
        var same = Path.Combine(Path.GetDirectoryName(input)!, "out.jsonl");

        var both = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = input, ["OUTPUT_PATH"] = same, ["REJECTS_PATH"] = same });
        var onInput = InProcessRun.Run(new Dictionary<string, string?> { ["INPUT_PATH"] = input, ["REJECTS_PATH"] = input });

        both.Code.Should().Be(ExitCode.InvalidConfiguration);
        both.Lines.WithMessage("Invalid configuration").Single().GetProperty("errors").EnumerateArray()
            .Should().Contain(e => e.GetString()!.StartsWith("REJECTS_PATH=", StringComparison.Ordinal));
        onInput.Code.Should().Be(ExitCode.InvalidConfiguration);
        File.ReadAllText(input).Should().Be("{\"id\": 1, \"features\": [1]}\n");
    }
}
