using System.Reflection;
using Xunit.Sdk;

namespace BatchJob.Tests.Kit;

/// <summary>
/// How many test cases <c>dotnet test</c> reports for this assembly, counted the way xunit runs
/// them: a [Fact] is one; a [Theory] is one per data row its data attributes produce (each
/// attribute's own <see cref="DataAttribute.GetData"/>, so MemberData, MemberType and ClassData
/// are enumerated exactly as xunit does), or one when it is skipped. Test code only: it reflects
/// over the test assembly, never over the worker.
/// </summary>
public static class TestInventory
{
    /// <summary>Fully qualified names (Namespace.Class.Method), one entry per test case.</summary>
    public static IReadOnlyList<string> TestCases()
    {
        var cases = new List<string>();
        foreach (var type in typeof(TestInventory).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && t.IsPublic))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (method.GetCustomAttribute<FactAttribute>() is not { } fact)
                {
                    continue;
                }

                var name = type.FullName + "." + method.Name;
                var rows = fact is TheoryAttribute && fact.Skip is null
                    ? method.GetCustomAttributes<DataAttribute>().Sum(data => data.GetData(method).Count())
                    : 1;
                cases.AddRange(Enumerable.Repeat(name, rows));
            }
        }

        return cases;
    }

    /// <summary>What <c>dotnet test --filter "FullyQualifiedName~<paramref name="contains"/>"</c> runs (all, for null).</summary>
    public static int Count(string? contains) =>
        TestCases().Count(name => contains is null || name.Contains(contains, StringComparison.OrdinalIgnoreCase));
}
