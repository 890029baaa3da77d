using Microsoft.Extensions.Configuration;

namespace BatchJob.Configuration;

/// <summary>Stacks the configuration sources; later sources win. The result is also the host's configuration (BatchHost).</summary>
internal static class ConfigurationLoader
{
    /// <param name="environment">Stands in for the process environment (tests); null reads the real one.</param>
    public static ConfigurationManager Build(IReadOnlyList<string> args, string workingDirectory, IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        CommandLine.Validate(args);
        var builder = new ConfigurationManager();
        builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false, reloadOnChange: false)
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
        return builder;
    }
}
