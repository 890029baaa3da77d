using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BatchJob.Tests.Kit;

/// <summary>
/// Checks a Kubernetes object against OpenAPI v2 definitions the way the API server's strict
/// decoding does: an unknown field at any depth, a value of the wrong JSON type, a missing required
/// field, a string outside its enum, and malformed int-or-string, quantity and date-time values are
/// errors. Only the keywords the Kubernetes definitions use exist here: $ref, type, properties,
/// required, additionalProperties, items, enum, format, x-kubernetes-preserve-unknown-fields.
/// Semantic rules the API server adds in Go (name formats, ranges, cross-field rules) are not
/// checked, nor the int32 range of int32 fields: the schema records only "integer".
/// </summary>
public sealed partial class OpenApiSchema
{
    private readonly JsonObject definitions;

    private OpenApiSchema(JsonObject document)
    {
        definitions = document["definitions"]!.AsObject();
        Roots = document["roots"]!.AsObject().ToDictionary(r => r.Key, r => (string)r.Value!, StringComparer.Ordinal);
    }

    /// <summary>"apiVersion/kind" (e.g. batch/v1/Job) to the definition of that kind.</summary>
    public IReadOnlyDictionary<string, string> Roots { get; }

    public static OpenApiSchema Load(string file) => new(JsonNode.Parse(File.ReadAllText(file))!.AsObject());

    /// <summary>Every violation in the object, each as "/json/pointer: message".</summary>
    public IReadOnlyList<string> Validate(JsonNode document, string definition)
    {
        var errors = new List<string>();
        Check(document, Definition(definition), "", errors);
        return errors;
    }

    private JsonObject Definition(string id) =>
        definitions[id]?.AsObject() ?? throw new InvalidOperationException("the schema has no definition " + id);

    private void Check(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        if (value is null)
        {
            return; // JSON null decodes to the field's zero value: as if it were not set
        }

        if (schema["$ref"] is { } reference)
        {
            Check(value, Definition(((string)reference!)["#/definitions/".Length..]), path, errors);
            return;
        }

        var type = (string?)schema["type"];
        var format = (string?)schema["format"];
        var where = path.Length == 0 ? "/" : path;
        switch (type, format)
        {
            case ("object", _):
                CheckObject(value, schema, path, errors);
                break;
            case ("array", _):
                if (value is not JsonArray array)
                {
                    errors.Add($"{where}: must be a list, got {Describe(value)}");
                    break;
                }

                for (var i = 0; i < array.Count; i++)
                {
                    Check(array[i], schema["items"]!.AsObject(), path + "/" + i.ToString(CultureInfo.InvariantCulture), errors);
                }

                break;
            case ("string", "int-or-string"):
                if (!IsInteger(value) && value.GetValueKind() != JsonValueKind.String)
                {
                    errors.Add($"{where}: must be an integer or a string, got {Describe(value)}");
                }

                break;
            case ("string", "quantity"):
                if (value.GetValueKind() == JsonValueKind.Number)
                {
                    break; // cpu: 1 and cpu: 0.5 are quantities too
                }

                if (value.GetValueKind() != JsonValueKind.String || !QuantityPattern().IsMatch((string)value!))
                {
                    errors.Add($"{where}: {Describe(value)} is not a quantity: quantities must match the regular expression '{QuantityPattern()}'");
                }

                break;
            case ("string", "date-time"):
                if (value.GetValueKind() != JsonValueKind.String
                    || !DateTimeOffset.TryParse((string)value!, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    errors.Add($"{where}: must be an RFC 3339 date-time, got {Describe(value)}");
                }

                break;
            case ("string", _):
                if (value.GetValueKind() != JsonValueKind.String)
                {
                    errors.Add($"{where}: must be a string, got {Describe(value)}");
                }
                else if (schema["enum"] is JsonArray allowed && !allowed.Any(a => (string?)a == (string)value!))
                {
                    errors.Add($"{where}: {Describe(value)} is not one of the allowed values: {string.Join(", ", allowed.Select(a => $"\"{a}\""))}");
                }

                break;
            case ("integer", _):
                if (!IsInteger(value))
                {
                    errors.Add($"{where}: must be an integer, got {Describe(value)}");
                }

                break;
            case ("boolean", _):
                if (value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add($"{where}: must be a boolean, got {Describe(value)}");
                }

                break;
            default:
                throw new InvalidOperationException($"{where}: the schema uses type {type} format {format}, which this validator does not know");
        }
    }

    private void CheckObject(JsonNode value, JsonObject schema, string path, List<string> errors)
    {
        var where = path.Length == 0 ? "/" : path;
        if (value is not JsonObject map)
        {
            errors.Add($"{where}: must be an object, got {Describe(value)}");
            return;
        }

        if (schema["x-kubernetes-preserve-unknown-fields"] is not null)
        {
            return;
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in map)
            {
                if (properties[name] is JsonObject property)
                {
                    Check(child, property, path + "/" + name, errors);
                }
                else
                {
                    errors.Add($"{where}: unknown field \"{name}\"");
                }
            }
        }

        if (schema["additionalProperties"] is JsonObject values)
        {
            foreach (var (name, child) in map)
            {
                Check(child, values, path + "/" + name, errors);
            }
        }

        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            if (map[(string)required!] is null)
            {
                errors.Add($"{where}: missing required field \"{required}\"");
            }
        }
    }

    private static bool IsInteger(JsonNode value) =>
        value is JsonValue number && number.TryGetValue<long>(out _);

    private static string Describe(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => $"string \"{value}\"",
        JsonValueKind.Number => $"number {value}",
        JsonValueKind.True or JsonValueKind.False => $"boolean {value}",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => value.GetValueKind().ToString(),
    };

    // resource.Quantity's grammar: a signed decimal number, then a binary-SI (Ki..Ei), decimal-SI
    // (n, u, m, k, M..E) or decimal-exponent (e3, E-2) suffix.
    [GeneratedRegex(@"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$")]
    private static partial Regex QuantityPattern();
}
