using Microsoft.Extensions.Configuration;

namespace BatchJob.Configuration;

/// <summary>Stacks the configuration sources; later sources win. BatchHost hands the result to the host as it is.</summary>
internal static class ConfigurationLoader
{
    /// <param name="environment">Stands in for the process environment (tests); null reads the real one.</param>
    /// <param name="cancellation">Ends the wait on a start-up file that blocks (a FIFO <c>.env</c> whose writer never comes).</param>
    /// <exception cref="ConfigurationException">A start-up file is missing or cannot be read, or <c>.env</c> is malformed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> came while a file was still being read.</exception>
    public static IConfiguration Build(IReadOnlyList<string> args, string workingDirectory, IEnumerable<KeyValuePair<string, string?>>? environment = null, CancellationToken cancellation = default)
    {
        CommandLine.Validate(args);
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false, reloadOnChange: false)
            .Add(new DotEnvConfigurationSource(Path.Combine(workingDirectory, ".env")));
        if (environment is null)
        {
            builder.AddEnvironmentVariables();
        }
        else
        {
            builder.AddInMemoryCollection(environment);
        }

        builder.AddCommandLine([.. args], CommandLine.SwitchMappings);
        try
        {
            // Building reads appsettings.json and .env; either may be a FIFO that blocks in open() or read().
            return Interruptible.Run(builder.Build, cancellation);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The message names the file: appsettings.json missing beside the binary, say.
            throw new ConfigurationException($"a configuration file cannot be read: {e.Message}", e);
        }
    }
}
