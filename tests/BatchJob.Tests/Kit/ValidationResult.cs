namespace BatchJob.Tests.Kit;

/// <summary>One YAML document as <see cref="K8sValidator"/> judged it.</summary>
public sealed record ValidationResult(string File, int Index, string? Kind, string? Name, bool Valid, IReadOnlyList<string> Errors)
{
    public override string ToString() => $"{System.IO.Path.GetFileName(File)}#{Index} {Kind}/{Name}: {(Valid ? "valid" : string.Join("; ", Errors))}";
}
