using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>
/// setup.md taken apart: its fenced code blocks, and the shell commands in its bash blocks. The
/// overloads that take a text do the same for any of the guide's markdown files (docs/*.md).
/// </summary>
public static partial class SetupGuide
{
    private static readonly Lazy<string> Source = new(() => Repo.Read("setup.md"));

    public static string Text => Source.Value;

    /// <summary>Repository-relative paths of setup.md and the docs it links to (docs/*.md).</summary>
    public static IReadOnlyList<string> GuideFiles =>
        [.. Directory.GetFiles(Repo.File("docs"), "*.md").Order(StringComparer.Ordinal).Select(f => "docs/" + Path.GetFileName(f)).Prepend("setup.md")];

    /// <summary>Step 12's worker lines: the run of the one-time Job's pod (the json block whose start line says app_env kubernetes).</summary>
    public static IReadOnlyList<string> PodRunLines =>
        [.. Blocks().Single(b => b.Language == "json" && b.Lines.Any(l => l.Contains("\"app_env\":\"kubernetes\"", StringComparison.Ordinal))).Lines.Where(l => l.StartsWith('{'))];

    /// <summary>Every fenced block of setup.md as (language, lines); the language is empty for a plain fence.</summary>
    /// <summary>A log line's message and its field names in order, a nested object's (the summary's) included.</summary>
    public static string LineShape(JsonObject line) =>
        $"{line["message"]}: {string.Join(',', line.Select(p => p.Value is JsonObject o ? $"{p.Key}{{{string.Join(',', o.Select(q => q.Key))}}}" : p.Key))}";

    /// <inheritdoc cref="LineShape(JsonObject)"/>
    public static string LineShape(string line) => LineShape(JsonNode.Parse(line)!.AsObject());

    public static IReadOnlyList<(string Language, IReadOnlyList<string> Lines)> Blocks() => Blocks(Text);

    /// <summary>Every fenced block of <paramref name="markdown"/> as (language, lines).</summary>
    public static IReadOnlyList<(string Language, IReadOnlyList<string> Lines)> Blocks(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var blocks = new List<(string, IReadOnlyList<string>)>();
        string? language = null;
        var lines = new List<string>();
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (language is null)
                {
                    language = line[3..].Trim();
                    lines = [];
                }
                else
                {
                    blocks.Add((language, lines));
                    language = null;
                }
            }
            else if (language is not null)
            {
                lines.Add(line);
            }
        }

        return blocks;
    }

    /// <summary>
    /// The commands of the bash blocks and of inline code spans, each split at pipes and &amp;&amp; into simple commands and
    /// tokenized like a shell would (quotes removed); comments and continuations handled.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Commands() => Commands(Text);

    /// <summary>The commands of <paramref name="markdown"/>'s bash blocks and inline kubectl/kind/docker spans.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Commands(string markdown)
    {
        var commands = new List<IReadOnlyList<string>>();
        foreach (var (_, lines) in Blocks(markdown).Where(b => b.Language == "bash"))
        {
            var joined = string.Join('\n', lines).Replace("\\\n", " ", StringComparison.Ordinal);
            foreach (var line in LogicalLines(joined))
            {
                var text = Comment().Replace(line, string.Empty).Trim();
                if (text.Length == 0 || text.StartsWith('#'))
                {
                    continue;
                }

                foreach (var segment in Tokenize(text))
                {
                    commands.Add(segment);
                }
            }
        }

        // Commands quoted inline in the prose (`kubectl ...`) count too.
        foreach (var match in InlineCommand().Matches(markdown).Cast<Match>())
        {
            commands.AddRange(Tokenize(match.Groups[1].Value));
        }

        return commands;
    }

    /// <summary>Lines, except that a quoted string going on over several lines (a jq program) stays in one.</summary>
    private static IEnumerable<string> LogicalLines(string text)
    {
        var pending = string.Empty;
        foreach (var line in text.Split('\n'))
        {
            pending = pending.Length == 0 ? line : pending + " " + line;
            if (pending.Count(c => c == '\'') % 2 == 0 && pending.Count(c => c == '"') % 2 == 0)
            {
                yield return pending;
                pending = string.Empty;
            }
        }

        if (pending.Length > 0)
        {
            yield return pending;
        }
    }

    /// <summary>Splits a command line into simple commands (at |, &amp;&amp;, ;) of unquoted tokens.</summary>
    private static List<List<string>> Tokenize(string line)
    {
        var segments = new List<List<string>> { new() };
        var token = new StringBuilder();
        var inToken = false;
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    token.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inToken = true;
            }
            else if (char.IsWhiteSpace(c) || c is '|' or ';' || (c == '&' && i + 1 < line.Length && line[i + 1] == '&'))
            {
                if (inToken)
                {
                    segments[^1].Add(token.ToString());
                    token.Clear();
                    inToken = false;
                }

                if (c is '|' or ';' or '&')
                {
                    if (c == '&')
                    {
                        i++;
                    }

                    segments.Add([]);
                }
            }
            else
            {
                token.Append(c);
                inToken = true;
            }
        }

        if (inToken)
        {
            segments[^1].Add(token.ToString());
        }

        return segments.Where(s => s.Count > 0).ToList();
    }

    [GeneratedRegex("(?<!`)`((?:kubectl|kind|docker) [^`]+)`(?!`)")]
    private static partial Regex InlineCommand();

    // A shell comment: whitespace, then # and a space (not inside '...#...' values, which we do not use).
    [GeneratedRegex(@"\s+#\s.*$")]
    private static partial Regex Comment();
}
