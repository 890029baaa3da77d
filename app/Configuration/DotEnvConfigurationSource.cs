using Microsoft.Extensions.Configuration;

namespace BatchJob.Configuration;

/// <summary>A <c>.env</c> file, when present: for local runs. Real environment variables are added after it, so they win.</summary>
internal sealed class DotEnvConfigurationSource(string path) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new DotEnvConfigurationProvider(path);
}
