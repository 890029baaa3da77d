using System.Text.RegularExpressions;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>
/// Every file the documents and the manifests' comments name is one we ship, every link lands on
/// a heading that exists, and no expected output shows a path of the machine it was written on.
/// </summary>
public sealed partial class GuideFilesTests
{
    /// <summary>The markdown a student reads: setup.md, README.md and docs/*.md.</summary>
    private static IEnumerable<string> Documents => SetupGuide.GuideFiles.Append("README.md");

    /// <summary>Top-level folders of the repository: a path starting with one of them is repo-relative.</summary>
    private static HashSet<string> RootFolders =>
        [.. Directory.GetDirectories(Repo.Root).Select(Path.GetFileName).OfType<string>().Where(d => d is not (".git" or "TestResults"))];

    [Fact]
    public void Every_repository_path_in_the_documents_and_manifest_comments_exists()
    {
        var sources = Documents.Select(f => (File: f, Text: Repo.Read(f)))
            .Concat(Manifests.AllFiles.Append(Repo.File("kind-mcp-cluster.yaml")).Select(f => (File: Path.GetRelativePath(Repo.Root, f), Text: Comments(File.ReadAllText(f)))))
            .ToList();
        var folders = RootFolders;
        var missing = new List<string>();
        var seen = 0;
        foreach (var (file, text) in sources)
        {
            foreach (var path in RepoPath().Matches(text).Select(m => m.Value).Distinct())
            {
                // Build outputs (app/bin/...) exist only after a build; {shard} is filled in at run time.
                if (!folders.Contains(path.Split('/')[0]) || path.Contains("/bin/", StringComparison.Ordinal) || path.Contains('{', StringComparison.Ordinal))
                {
                    continue;
                }

                seen++;
                if (!Exists(Repo.Root, path))
                {
                    missing.Add($"{file}: {path}");
                }
            }

            foreach (var name in MarkdownName().Matches(text).Select(m => m.Groups[1].Value).Distinct())
            {
                seen++;
                if (!Exists(Repo.Root, name) && !Exists(Repo.File("docs"), name))
                {
                    missing.Add($"{file}: {name}");
                }
            }
        }

        seen.Should().BeGreaterThan(20);
        missing.Should().BeEmpty("a document or a manifest comment may only name files we ship");
    }

    [Fact]
    public void Every_link_in_the_documents_reaches_a_file_and_heading_that_exist()
    {
        var broken = new List<string>();
        foreach (var file in Documents)
        {
            var folder = Path.GetDirectoryName(Repo.File(file.Split('/')))!;
            foreach (var link in Link().Matches(Repo.Read(file)).Cast<Match>())
            {
                var (target, anchor) = (link.Groups["target"].Value, link.Groups["anchor"].Value);
                if (target.Contains("://", StringComparison.Ordinal))
                {
                    continue;
                }

                var path = target.Length == 0 ? Repo.File(file.Split('/')) : Path.GetFullPath(Path.Combine(folder, target));
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    broken.Add($"{file}: {link.Value}");
                }
                else if (anchor.Length > 0 && !(path.EndsWith(".md", StringComparison.Ordinal) && Anchors(File.ReadAllText(path)).Contains(anchor)))
                {
                    broken.Add($"{file}: {link.Value} (no such heading)");
                }
            }
        }

        broken.Should().BeEmpty();
        Anchors(SetupGuide.Text).Should().Contain("step-15-the-latest-cronjob-runs-telemetry", "the slug rule matches GitHub's");
    }

    [Fact]
    public void No_expected_output_shows_a_path_of_the_authors_machine()
    {
        foreach (var file in Documents)
        {
            Repo.Read(file).Should().NotContainAny(["/work/", "/root/"], $"{file} is read on students' machines");
        }
    }

    /// <summary>A path, possibly with * globs, relative to <paramref name="root"/>.</summary>
    private static bool Exists(string root, string path)
    {
        if (!path.Contains('*', StringComparison.Ordinal))
        {
            return File.Exists(Path.Combine(root, path)) || Directory.Exists(Path.Combine(root, path));
        }

        var folder = Path.Combine(root, Path.GetDirectoryName(path) ?? string.Empty);
        return Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder, Path.GetFileName(path)).Any();
    }

    /// <summary>The comment text of a YAML file (what follows a # outside the values we use).</summary>
    private static string Comments(string yaml) =>
        string.Join('\n', yaml.Split('\n').Select(l => l.IndexOf('#', StringComparison.Ordinal) is var at and >= 0 ? l[(at + 1)..] : string.Empty));

    /// <summary>GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens.</summary>
    private static HashSet<string> Anchors(string markdown) =>
        [.. markdown.Split('\n').Where(l => l.StartsWith('#')).Select(l => l.TrimStart('#').Trim().ToLowerInvariant())
            .Select(h => NotSlug().Replace(h, string.Empty).Replace(' ', '-'))];

    // A repo-relative path: a folder/ start not preceded by a path or URL character.
    [GeneratedRegex(@"(?<![\w./:-])(?:\.\./)?\.?[A-Za-z][\w.-]*/[\w./*{}-]*[\w*}]")]
    private static partial Regex RepoPath();

    // A bare markdown file name (setup.md, BENCHMARKS.md, ../BENCHMARKS.md) outside a longer path.
    [GeneratedRegex(@"(?<![\w/.-])(?:\.\./)?([A-Za-z][\w-]*\.md)\b")]
    private static partial Regex MarkdownName();

    [GeneratedRegex(@"\]\((?<target>[^)#\s]*)(?:#(?<anchor>[^)\s]+))?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"[^\w\- ]")]
    private static partial Regex NotSlug();
}
