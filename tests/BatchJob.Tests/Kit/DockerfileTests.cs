using System.Text.RegularExpressions;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>The Dockerfile builds the image the manifests run, without secrets, as a non-root user.</summary>
public sealed partial class DockerfileTests
{
    private static readonly Lazy<List<string>> Instructions = new(() =>
        Repo.Read("Dockerfile").Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList());

    private static IEnumerable<string> Named(string instruction) =>
        Instructions.Value.Where(i => i.StartsWith(instruction + " ", StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void No_env_file_or_secret_is_copied_into_the_image()
    {
        Named("COPY").Concat(Named("ADD")).Should().NotContain(i => i.Contains(".env", StringComparison.Ordinal) || EnvFile().IsMatch(i));
        var ignored = Repo.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToList();
        ignored.Should().Contain([".env", "**/bin/", "**/obj/", "tests/", ".git/"]);
    }

    [Fact]
    public void Multi_stage_restore_layer_then_publish_onto_a_chiseled_runtime()
    {
        var from = Named("FROM").ToList();
        from.Should().HaveCountGreaterThanOrEqualTo(2);
        from[0].Should().Contain("mcr.microsoft.com/dotnet/sdk:10.0");
        from[^1].Should().Contain("chiseled");

        var steps = Instructions.Value;
        var restore = steps.FindIndex(i => i.Contains("dotnet restore", StringComparison.Ordinal));
        var copyProject = steps.FindIndex(i => i.StartsWith("COPY app/BatchJob.csproj", StringComparison.Ordinal));
        var copyProps = steps.FindIndex(i => i.StartsWith("COPY Directory.Build.props Directory.Packages.props", StringComparison.Ordinal));
        var copySource = steps.FindIndex(i => i.StartsWith("COPY app/ ", StringComparison.Ordinal));
        var publish = steps.FindIndex(i => i.Contains("dotnet publish", StringComparison.Ordinal));
        copyProps.Should().BeInRange(0, restore - 1);
        copyProject.Should().BeInRange(0, restore - 1);
        copySource.Should().BeGreaterThan(restore, "the source is copied after the restore layer");
        publish.Should().BeGreaterThan(copySource);
    }

    [Fact]
    public void Runs_as_the_numeric_non_root_user_the_pods_expect_with_an_exec_form_entrypoint()
    {
        Named("USER").Last().Should().Be("USER 1654");
        Named("ENTRYPOINT").Should().ContainSingle().Which.Should().MatchRegex(@"^ENTRYPOINT \[""[^""]+""(, ""[^""]+"")*\]$");
        foreach (var kind in new[] { ("Job", Manifests.JobName), ("CronJob", Manifests.CronJobName) })
        {
            ((string)Manifests.PodTemplate(kind.Item1, kind.Item2)["spec"]!["securityContext"]!["runAsUser"]!).Should().Be("1654");
        }
    }

    [GeneratedRegex(@"\benv\b|secret", RegexOptions.IgnoreCase)]
    private static partial Regex EnvFile();
}
