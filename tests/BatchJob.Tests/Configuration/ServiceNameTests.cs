namespace BatchJob.Tests.Configuration;

/// <summary>
/// The OpenTelemetry specification's order for the service name: OTEL_SERVICE_NAME, then
/// <c>service.name</c> in OTEL_RESOURCE_ATTRIBUTES, then the default.
/// </summary>
public sealed class ServiceNameTests
{
    [Fact]
    public void OTEL_SERVICE_NAME_wins_over_service_name_in_OTEL_RESOURCE_ATTRIBUTES()
    {
        var telemetry = TestConfig.Read(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = "from-service-name",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "service.name=from-attributes,team=ml",
        }).Telemetry;

        telemetry.ServiceName.Should().Be("from-service-name");
        telemetry.ResourceAttributes.Should().NotContain(a => a.Key == "service.name", "it would replace the name on the resource")
            .And.Contain(new KeyValuePair<string, object>("team", "ml"));
    }

    [Fact]
    public void OTEL_SERVICE_NAME_on_the_command_line_or_in_dotenv_wins_too()
    {
        TestConfig.Read(new Dictionary<string, string?> { ["OTEL_RESOURCE_ATTRIBUTES"] = "service.name=from-attributes" }, ["--OTEL_SERVICE_NAME=from-args"])
            .Telemetry.ServiceName.Should().Be("from-args");

        var directory = Directory.CreateTempSubdirectory("batchjob-config-").FullName;
        File.WriteAllText(Path.Combine(directory, ".env"), "OTEL_SERVICE_NAME=from-dotenv\n");
        TestConfig.Read(new Dictionary<string, string?> { ["OTEL_RESOURCE_ATTRIBUTES"] = "service.name=from-attributes" }, workingDirectory: directory)
            .Telemetry.ServiceName.Should().Be("from-dotenv");
    }

    [Fact]
    public void service_name_in_OTEL_RESOURCE_ATTRIBUTES_wins_over_the_shipped_default()
    {
        var telemetry = TestConfig.Read(new Dictionary<string, string?> { ["OTEL_RESOURCE_ATTRIBUTES"] = "team=ml, service.name = from-attributes" }).Telemetry;

        telemetry.ServiceName.Should().Be("from-attributes");
        telemetry.ResourceAttributes.Should().ContainSingle().Which.Key.Should().Be("team");
    }

    [Fact]
    public void Without_either_the_shipped_default_is_used() =>
        TestConfig.Read(new Dictionary<string, string?> { ["OTEL_RESOURCE_ATTRIBUTES"] = "team=ml" }).Telemetry.ServiceName.Should().Be("batch-inference-service");
}
