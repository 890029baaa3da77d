using System.Text.Json.Nodes;

namespace BatchJob.Tests.Kit;

/// <summary>One YAML document as <see cref="TypedYaml"/> read it: its tree and what was wrong with the text.</summary>
public sealed record YamlDocumentRead(JsonNode? Root, IReadOnlyList<string> Errors);
