using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace BatchJob.Tests.Kit;

/// <summary>
/// YAML read the way the Kubernetes API machinery reads it (sigs.k8s.io/yaml on go-yaml, YAML 1.1):
/// plain scalars become null, booleans (yes/no/on/off too), integers or floats, everything else a
/// string; a duplicate key is an error. Unlike <see cref="Yaml"/>, types are kept, so a schema can
/// tell <c>backoffLimit: "2"</c> from <c>backoffLimit: 2</c>.
/// </summary>
public static partial class TypedYaml
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    /// <summary>Every document of the text, each with the problems found reading it.</summary>
    public static IReadOnlyList<YamlDocumentRead> LoadAll(string text)
    {
        var documents = new List<YamlDocumentRead>();
        using var reader = new StringReader(text);
        var parser = new Parser(reader);
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.TryConsume<StreamEnd>(out _))
            {
                parser.Consume<DocumentStart>();
                var errors = new List<string>();
                var root = Read(parser, new Dictionary<string, JsonNode?>(StringComparer.Ordinal), "", errors);
                parser.Consume<DocumentEnd>();
                documents.Add(new YamlDocumentRead(root, errors));
            }
        }
        catch (YamlException e)
        {
            documents.Add(new YamlDocumentRead(null, [$"YAML syntax error at line {e.Start.Line}, column {e.Start.Column}: {e.Message}"]));
        }

        return documents;
    }

    private static JsonNode? Read(IParser parser, Dictionary<string, JsonNode?> anchors, string path, List<string> errors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (anchors.TryGetValue(alias.Value.Value, out var anchored))
            {
                return anchored?.DeepClone();
            }

            errors.Add($"{Where(path)}: unknown alias *{alias.Value}");
            return null;
        }

        var start = parser.Current as NodeEvent ?? throw new YamlException("expected a YAML node");
        JsonNode? node;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            node = Resolve(scalar);
        }
        else if (parser.TryConsume<SequenceStart>(out _))
        {
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(Read(parser, anchors, path + "/" + array.Count.ToString(CultureInfo.InvariantCulture), errors));
            }

            node = array;
        }
        else
        {
            parser.Consume<MappingStart>();
            var map = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = parser.Current;
                var key = Read(parser, anchors, path, errors);
                var name = key is JsonValue value ? value.ToString() : null;
                var child = Read(parser, anchors, path + "/" + name, errors);
                if (name is null)
                {
                    errors.Add($"{Where(path)}: a mapping key must be a scalar (line {keyEvent?.Start.Line})");
                }
                else if (map.ContainsKey(name))
                {
                    errors.Add($"{Where(path)}: duplicate key \"{name}\" (line {keyEvent?.Start.Line})");
                }
                else
                {
                    map[name] = child;
                }
            }

            node = map;
        }

        if (!start.Anchor.IsEmpty)
        {
            anchors[start.Anchor.Value] = node?.DeepClone();
        }

        return node;
    }

    private static string Where(string path) => path.Length == 0 ? "/" : path;

    /// <summary>The YAML 1.1 core resolution go-yaml applies to untagged plain scalars.</summary>
    private static JsonValue? Resolve(Scalar scalar)
    {
        var text = scalar.Value;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag == TagPrefix + "str" || (tag is null && scalar.Style != ScalarStyle.Plain))
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON")
        {
            return JsonValue.Create(true);
        }

        if (text is "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF")
        {
            return JsonValue.Create(false);
        }

        var digits = text.Replace("_", "", StringComparison.Ordinal);
        if (Integer(digits) is { } integer)
        {
            return JsonValue.Create(integer);
        }

        if (FloatPattern().IsMatch(digits) && double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return text switch
        {
            ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => JsonValue.Create(double.PositiveInfinity),
            "-.inf" or "-.Inf" or "-.INF" => JsonValue.Create(double.NegativeInfinity),
            ".nan" or ".NaN" or ".NAN" => JsonValue.Create(double.NaN),
            _ => JsonValue.Create(text),
        };
    }

    /// <summary>Go's strconv.ParseInt(s, 0, 64): decimal, 0x hex, 0b binary, 0o or leading-0 octal.</summary>
    private static long? Integer(string text)
    {
        var match = IntegerPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var sign = match.Groups[1].Value == "-" ? -1 : 1;
        var body = match.Groups[2].Value;
        var (radix, number) = body switch
        {
            _ when body.StartsWith("0x", StringComparison.Ordinal) => (16, body[2..]),
            _ when body.StartsWith("0b", StringComparison.Ordinal) => (2, body[2..]),
            _ when body.StartsWith("0o", StringComparison.Ordinal) => (8, body[2..]),
            _ when body.Length > 1 && body[0] == '0' => (8, body[1..]),
            _ => (10, body),
        };
        try
        {
            return sign * Convert.ToInt64(number, radix);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return null; // e.g. 09: not octal, so go-yaml reads it as a float
        }
    }

    [GeneratedRegex("^([-+]?)(0x[0-9a-fA-F]+|0b[01]+|0o[0-7]+|[0-9]+)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
