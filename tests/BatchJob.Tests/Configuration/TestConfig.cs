using BatchJob.Configuration;

namespace BatchJob.Tests.Configuration;

/// <summary>Reads options the way the worker does, with a made-up environment and working directory.</summary>
internal static class TestConfig
{
    public static BatchOptions Read(IDictionary<string, string?>? environment = null, string[]? args = null, string? workingDirectory = null)
    {
        var directory = workingDirectory ?? Directory.CreateTempSubdirectory("batchjob-config-").FullName;
        var config = ConfigurationLoader.Build(args ?? [], directory, environment ?? new Dictionary<string, string?>());
        return OptionsReader.Read(config, directory, BatchJob.Output.OutputTarget.Checks);
    }

    public static IReadOnlyList<string> Errors(IDictionary<string, string?> environment, string[]? args = null)
    {
        var act = () => Read(environment, args);
        return act.Should().Throw<ConfigurationException>().Which.Errors;
    }
}
