using Microsoft.Extensions.Configuration;

namespace BatchJob.Configuration;

/// <summary>
/// Reads <c>KEY=value</c> lines the way <c>docker run --env-file</c> and
/// <c>kubectl create configmap --from-env-file</c> do, so one file means the same everywhere:
/// <c>#</c> starts a comment only at the start of a line, and the value is the rest of the line.
/// Surrounding quotes and an <c>export</c> prefix are accepted for shell-style files.
/// </summary>
internal sealed class DotEnvConfigurationProvider(string path) : ConfigurationProvider
{
    public override void Load()
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var reader = File.OpenText(path);
        Data = Parse(reader, path);
    }

    public static Dictionary<string, string?> Parse(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            if (text.StartsWith("export ", StringComparison.Ordinal))
            {
                text = text["export ".Length..].TrimStart();
            }

            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                errors.Add($"{fileName} line {lineNumber}: expected KEY=value, got '{line}'.");
                continue;
            }

            var value = text[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            values[text[..equals].Trim()] = value;
        }

        return errors.Count == 0 ? values : throw new ConfigurationException(errors);
    }
}
