using Microsoft.Extensions.Configuration;

namespace BatchJob.Configuration;

/// <summary>
/// Reads <c>KEY=value</c> lines the way <c>docker run --env-file</c> and
/// <c>kubectl create configmap --from-env-file</c> do, so one file means the same everywhere:
/// <c>#</c> starts a comment only at the start of a line, and the value is the rest of the line.
/// Surrounding quotes and an <c>export</c> prefix are accepted for shell-style files.
/// No file means nothing to add; a file that is there but cannot be read stops the run.
/// </summary>
internal sealed class DotEnvConfigurationProvider(string path) : ConfigurationProvider
{
    /// <summary>More than any list of settings needs; a bigger file (a link to /dev/zero, say) is an error, not an endless read.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <exception cref="ConfigurationException">The file exists but cannot be read as settings.</exception>
    public override void Load()
    {
        if (Read(path) is { } text)
        {
            using var reader = new StringReader(text);
            Data = Parse(reader, path);
        }
    }

    /// <returns>The file's text, or null when there is no such file.</returns>
    private static string? Read(string path)
    {
        // A folder is a mistake to report, not to skip: a Docker bind mount of a missing file creates one.
        if (Directory.Exists(path))
        {
            throw new ConfigurationException($"{path} is a folder; expected a file of KEY=value lines.");
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            using var text = new MemoryStream();
            var chunk = new byte[16 * 1024];
            while (stream.Read(chunk) is var read && read > 0)
            {
                text.Write(chunk, 0, read);
                if (text.Length > MaxBytes)
                {
                    throw new ConfigurationException($"{path} is over {MaxBytes} bytes; expected a file of KEY=value lines.");
                }
            }

            text.Position = 0;
            using var reader = new StreamReader(text);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{path} cannot be read: {e.Message}", e);
        }
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
