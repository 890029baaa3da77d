using System.Text;
using System.Text.Json;
using BatchJob.Input;
using BatchJob.Output;

namespace BatchJob.Tests.Output;

/// <summary>
/// String ids in the predictions file are escaped as they were when the writer went through
/// <c>JsonSerializer</c> (reflection, which native AOT cannot use): byte for byte.
/// </summary>
public sealed class PredictionWriterStringIdTests
{
    [Theory]
    [InlineData("rec-7", "\"rec-7\"")]
    [InlineData("rec-\"7\"", "\"rec-\\u00227\\u0022\"")]
    [InlineData("a\\b", "\"a\\\\b\"")]
    [InlineData("tab\tnewline\ncr\rnul\0bell\u0001", "\"tab\\tnewline\\ncr\\rnul\\u0000bell\\u0001\"")]
    [InlineData("<&>'+`", "\"\\u003C\\u0026\\u003E\\u0027\\u002B\\u0060\"")]
    [InlineData("é €", "\"\\u00E9 \\u20AC\"")]
    [InlineData("😀\u2028", "\"\\uD83D\\uDE00\\u2028\"")]
    public void A_string_id_is_escaped_as_the_serializer_escaped_it(string id, string expectedJson)
    {
        var written = WriteFile([(new RecordId(0, id), 6.0)]);

        written.Should().Be($"{{\"id\": {expectedJson}, \"prediction\": 6.0}}\n" + Summary(1, "6.0"));
        expectedJson.Should().Be(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(id)), "the expected text is what the serializer wrote");
    }

    [Fact]
    public void Every_line_of_a_mixed_file_equals_the_serializer_based_line()
    {
        // Every ASCII character, non-ASCII in 2, 3 and 4 UTF-8 bytes, ids longer than the line
        // buffer, and number ids between them: the reused writer must carry nothing from one id
        // to the next.
        var texts = new List<string>();
        for (var c = 0; c < 128; c++)
        {
            texts.Add($"id-{(char)c}-{c}");
        }

        texts.Add(new string('x', 300));
        texts.Add(string.Concat(Enumerable.Repeat("\"é😀\\", 200)));
        texts.Add("short");
        texts.Add("ü");

        var records = new List<(RecordId Id, double Prediction)>();
        var expected = new StringBuilder();
        for (var i = 0; i < texts.Count; i++)
        {
            records.Add((new RecordId(0, texts[i]), 1.5));
            expected.Append("{\"id\": ").Append(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(texts[i]))).Append(", \"prediction\": 1.5}\n");
            records.Add((new RecordId(i, null), 2.0));
            expected.Append("{\"id\": ").Append(i).Append(", \"prediction\": 2.0}\n");
        }

        var written = WriteFile(records);

        written.Should().Be(expected.Append(Summary(records.Count, "1.75")).ToString());
    }

    [Fact]
    public void Writing_a_string_id_allocates_nothing_once_warm()
    {
        // The serializer allocated a new array per string id; the reused writer does not.
        var path = Path.Combine(Directory.CreateTempSubdirectory("batchjob-ids-").FullName, "predictions.jsonl");
        using var writer = new PredictionWriter(path);
        var id = new RecordId(0, "rec-\"7\"-é");
        for (var i = 0; i < 100; i++)
        {
            writer.Write(id, 6.0);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            writer.Write(id, 6.0);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    private static string Summary(int records, string average) => $"{{\"summary\": {{\"records\": {records}, \"avg_prediction\": {average}}}}}\n";

    private static string WriteFile(IEnumerable<(RecordId Id, double Prediction)> records)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("batchjob-ids-").FullName, "predictions.jsonl");
        var count = 0;
        var sum = 0.0;
        using (var writer = new PredictionWriter(path))
        {
            foreach (var (id, prediction) in records)
            {
                writer.Write(id, prediction);
                count++;
                sum += prediction;
            }

            writer.Publish(count, sum / count, interrupted: false);
        }

        return File.ReadAllText(path, Encoding.UTF8);
    }
}
