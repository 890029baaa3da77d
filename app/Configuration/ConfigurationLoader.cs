using Microsoft.Extensions.Configuration;

namespace BatchJob.Configuration;

/// <summary>Stacks the configuration sources; later sources win.</summary>
public static class ConfigurationLoader
{
    /// <param name="environment">Stands in for the process environment (tests); null reads the real one.</param>
    public static IConfiguration Build(IReadOnlyList<string> args, string workingDirectory, IEnumerable<KeyValuePair<string, string?>>? environment = null)
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

        return builder.AddCommandLine([.. args], CommandLine.SwitchMappings).Build();
    }
}
