using BatchJob.Configuration;

namespace BatchJob.Tests.Configuration;

public sealed class ConfigurationPrecedenceTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("batchjob-precedence-").FullName;

    [Fact]
    public void Dotenv_overrides_appsettings_environment_overrides_dotenv_command_line_overrides_all()
    {
        File.WriteAllText(Path.Combine(_dir, ".env"), "# local settings\nCPU_LIMIT=2\nMEMORY_LIMIT=1Gi\nBATCH_SIZE=7\nexport APP_ENV=\"dev\"\n");
        var environment = new Dictionary<string, string?> { ["MEMORY_LIMIT"] = "2Gi", ["BATCH_SIZE"] = "8" };

        var options = TestConfig.Read(environment, ["--BATCH_SIZE=9"], _dir);

        options.Cost.CpuLimitCores.Should().Be(2m, ".env beats appsettings.json (500m)");
        options.Cost.MemoryLimitBytes.Should().Be(2m * 1024 * 1024 * 1024, "the environment beats .env");
        options.BatchSize.Should().Be(9, "the command line beats everything");
        options.AppEnvironment.Should().Be("dev", "quotes and an export prefix are accepted in .env");
    }

    [Fact]
    public void Input_and_output_switches_set_the_paths()
    {
        File.WriteAllText(Path.Combine(_dir, "records.jsonl"), "{\"id\": 1, \"features\": [1]}\n");

        var options = TestConfig.Read(null, ["--input", "records.jsonl", "-o", "predictions.jsonl"], _dir);

        options.InputPath.Should().Be(Path.Combine(_dir, "records.jsonl"));
        options.OutputPath.Should().Be(Path.Combine(_dir, "predictions.jsonl"));
    }

    [Theory]
    [InlineData("--inptu=x", "Unknown argument '--inptu=x'. Run with --help to see the options.")]
    [InlineData("records.jsonl", "Unknown argument 'records.jsonl'. Run with --help to see the options.")]
    [InlineData("--output", "Option '--output' needs a value, e.g. --output=value.")]
    public void Unknown_or_incomplete_arguments_are_rejected(string arg, string message)
    {
        var act = () => CommandLine.Validate([arg]);

        act.Should().Throw<ConfigurationException>().Which.Errors.Should().Equal(message);
    }

    [Fact]
    public void A_malformed_dotenv_line_is_reported_with_its_line_number()
    {
        var act = () => DotEnvConfigurationProvider.Parse(new StringReader("A=1\nthis is not a setting\n"), ".env");

        act.Should().Throw<ConfigurationException>().Which.Errors.Should().Equal(".env line 2: expected KEY=value, got 'this is not a setting'.");
    }

    [Fact]
    public void Dotenv_keeps_the_rest_of_the_line_as_the_value_like_docker_and_kubectl()
    {
        var values = DotEnvConfigurationProvider.Parse(new StringReader("URL=http://x:4317/#frag\nEMPTY=\n"), ".env");

        values.Should().Contain("URL", "http://x:4317/#frag").And.Contain("EMPTY", "");
    }
}
