using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using static ArchUnitNET.Fluent.Slices.SliceRuleDefinition;

namespace BatchJob.Tests.Architecture;

/// <summary>
/// The worker's dependencies flow one way: the composition root (the BatchJob namespace itself)
/// knows every part; Processing runs the record pipeline over the parts below it; nothing below
/// reaches back up, and no two namespaces depend on each other.
/// </summary>
public sealed class DependencyTests
{
    private static readonly ArchUnitNET.Domain.Architecture Worker = new ArchLoader().LoadAssemblies(typeof(ExitCode).Assembly).Build();

    /// <summary>Each namespace and the worker's namespaces it may use: the layering, written once.</summary>
    public static TheoryData<string, string[]> Allowed => new()
    {
        { "Configuration", [] },
        { "Json", [] },
        { "Input", [] },
        { "Inference", [] },
        { "Cost", ["Configuration"] },
        { "Telemetry", ["Configuration"] },
        { "Output", ["Configuration", "Input", "Json"] },
        { "Logging", ["Configuration", "Input", "Json", "Output", "Telemetry"] },

        // Processing, the record pipeline, may use every namespace above; only the root (BatchJob) uses Processing.
        { "Processing", ["Configuration", "Cost", "Inference", "Input", "Json", "Logging", "Output", "Telemetry"] },
    };

    [Fact]
    public void Namespaces_depend_on_each_other_in_no_cycle() =>
        Slices().Matching("BatchJob.(*)").Should().BeFreeOfCycles().Check(Worker);

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Each_namespace_uses_only_the_namespaces_below_it(string name, string[] allowed)
    {
        var others = Allowed.Select(row => (string)row[0]).Where(n => n != name && !allowed.Contains(n)).ToArray();
        if (others.Length == 0)
        {
            return;
        }

        Types().That().ResideInNamespace($"BatchJob.{name}").Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching($@"^BatchJob\.({string.Join('|', others)})$"))
            .Check(Worker);
    }

    [Fact]
    public void Reading_configuration_never_reaches_into_the_output_files() =>
        Types().That().ResideInNamespace("BatchJob.Configuration").Should()
            .NotDependOnAny(Types().That().ResideInNamespace("BatchJob.Output")).Check(Worker);
}
