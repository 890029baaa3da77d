using System.Globalization;
using System.Text;

namespace BatchJob.Tests.Resuming;

/// <summary>A large input with every kind of line a run meets: records, bad JSON, invalid records, blank lines, lines over MAX_LINE_BYTES, invalid UTF-8.</summary>
internal static class ResumeInput
{
    /// <summary>MAX_LINE_BYTES for these inputs: the long lines are over it.</summary>
    public const string MaxLineBytes = "256";

    public static string Write(int records, int seed)
    {
        var random = new Random(seed);
        var path = Path.Combine(Directory.CreateTempSubdirectory("batchjob-resume-").FullName, "input.jsonl");
        using var file = new FileStream(path, FileMode.CreateNew);
        for (var i = 0; i < records; i++)
        {
            byte[] line = (i % 997, i % 1511, i % 4099, i % 7919) switch
            {
                (3, _, _, _) => Encoding.UTF8.GetBytes($"not json {i}"),
                (_, 7, _, _) => Encoding.UTF8.GetBytes($"{{\"id\": {i}}}"),
                (_, _, 11, _) => [],
                (_, _, _, 13) => Encoding.UTF8.GetBytes($"{{\"id\": {i}, \"features\": [{string.Join(", ", Enumerable.Repeat("1.25", 80))}]}}"),
                _ when i % 6007 == 17 => [0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0xFF, 0x7D],
                _ => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"id\": {i}, \"features\": [{random.NextDouble() * 10 - 5:R}, {random.NextDouble():R}, {random.Next(-100, 100)}]}}")),
            };
            file.Write(line);
            file.WriteByte((byte)'\n');
        }

        return path;
    }
}
