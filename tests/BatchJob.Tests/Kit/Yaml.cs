using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace BatchJob.Tests.Kit;

/// <summary>
/// YAML read into <see cref="JsonNode"/> trees (mappings become objects, sequences arrays,
/// scalars strings), so tests navigate manifests the way kubectl's JSON output reads.
/// </summary>
public static class Yaml
{
    /// <summary>Every document of a (multi-document) YAML text; empty documents are skipped.</summary>
    public static IReadOnlyList<JsonObject> LoadAll(string text)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(text))
        {
            stream.Load(reader);
        }

        return stream.Documents
            .Select(d => ToJson(d.RootNode))
            .OfType<JsonObject>()
            .ToList();
    }

    /// <summary>A single-document YAML text as an object.</summary>
    public static JsonObject Load(string text) => LoadAll(text).Single();

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Value: null or "" or "~" or "null", Style: YamlDotNet.Core.ScalarStyle.Plain } => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException("unsupported YAML node " + node.NodeType),
    };
}
