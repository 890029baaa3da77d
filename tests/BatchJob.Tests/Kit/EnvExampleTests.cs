using System.Text.Json;
using BatchJob.Configuration;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>.env.example documents exactly the keys the worker reads, with their real defaults.</summary>
public sealed class EnvExampleTests
{
    private const string InClusterEndpoint = "http://otel-collector-paid:4317";

    private static readonly Lazy<string[]> Lines = new(() => File.ReadAllLines(Repo.File(".env.example")));

    private static List<(string Key, string Value, int Line)> Entries() =>
        Lines.Value.Select((line, i) => (line, i))
            .Where(l => l.line.Trim().Length > 0 && !l.line.TrimStart().StartsWith('#'))
            .Select(l =>
            {
                var equals = l.line.IndexOf('=', StringComparison.Ordinal);
                equals.Should().BePositive($"line {l.i + 1} is KEY=value: {l.line}");
                return (l.line[..equals], l.line[(equals + 1)..], l.i);
            })
            .ToList();

    [Fact]
    public void Every_key_has_a_comment_line_above_and_no_comment_on_its_value_line()
    {
        foreach (var (key, value, line) in Entries())
        {
            Lines.Value[line - 1].TrimStart().Should().StartWith("#", $"{key} needs its comment on the line above");
            value.Should().NotContain("#", $"{key}: --from-env-file and --env-file would keep a trailing comment in the value");
            value.Should().Be(value.Trim(), $"{key}: no stray spaces around the value");
            key.Should().MatchRegex("^[A-Z][A-Z0-9_]*$");
        }
    }

    [Fact]
    public void Keys_are_exactly_the_configurable_keys()
    {
        var keys = Entries().Select(e => e.Key).ToList();
        keys.Should().OnlyHaveUniqueItems();
        keys.Should().BeEquivalentTo(ConfigKeys.Configurable);
    }

    [Fact]
    public void Values_are_the_appsettings_defaults_except_the_in_cluster_endpoint()
    {
        using var appsettings = JsonDocument.Parse(Repo.Read("app", "appsettings.json"));
        var defaults = appsettings.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        foreach (var (key, value, _) in Entries())
        {
            var expected = key == ConfigKeys.OtlpEndpoint ? InClusterEndpoint : defaults[key];
            value.Should().Be(expected, $"{key} in .env.example");
        }
    }

    [Fact]
    public async Task Worker_accepts_the_file_as_its_dot_env()
    {
        // Every value in the file is valid configuration: copied to .env, the worker runs on it.
        var dir = Directory.CreateTempSubdirectory("env-example-").FullName;
        File.Copy(Repo.File(".env.example"), Path.Combine(dir, ".env"));

        var run = await PublishedWorker.RunAsync(
            new Dictionary<string, string?>
            {
                // Environment variables win over .env: only the collector address is redirected.
                [ConfigKeys.OtlpEndpoint] = "http://127.0.0.1:9",
                [ConfigKeys.FlushTimeout] = "500",
            },
            workingDirectory: dir);

        run.ExitCode.Should().Be(0, run.ToString());
        run.WithMessage("Starting batch inference job").Single().GetProperty("app_env").GetString().Should().Be("local");
    }
}
