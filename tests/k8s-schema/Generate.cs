// Writes kubernetes-v1.30-subset.json: the Kubernetes v1.30 API schema of the kinds k8s/ uses
// (the base lab and the observability overlay),
// in OpenAPI v2 "definitions" form, for tests/BatchJob.Tests/Kit/K8sValidator.cs.
// Run through generate.sh, which fetches the two npm packages this reads (see README.md here):
//
//   dotnet run Generate.cs -- KUBERNETES_TYPES_DIR KUBERNETES_MODELS_DIR OUTPUT_JSON
//
// kubernetes-types@1.30.0 gives every field, its type and whether it is required, as generated
// from the Kubernetes v1.30 OpenAPI; kubernetes-models@4.5.1 gives the enum values, which the
// official OpenAPI only spells out in descriptions. An enum is applied only to a field that
// v1.30 has, so a field added after v1.30 stays unknown.
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: dotnet run Generate.cs -- KUBERNETES_TYPES_DIR KUBERNETES_MODELS_DIR OUTPUT_JSON");
    return 2;
}

var typesDir = args[0];
var modelsDir = args[1];
var output = args[2];

string[] roots =
[
    "core/v1.Namespace", "core/v1.ConfigMap", "core/v1.Service", "core/v1.ServiceAccount", "apps/v1.Deployment",
    "batch/v1.Job", "batch/v1.CronJob", "rbac/v1.Role", "rbac/v1.RoleBinding", "core/v1.PersistentVolume", "core/v1.PersistentVolumeClaim",
];

var modules = new Dictionary<string, TypesModule>(StringComparer.Ordinal);
TypesModule Module(string id)
{
    if (!modules.TryGetValue(id, out var module))
    {
        var file = Path.Combine(typesDir, id + ".d.ts");
        module = TypesModule.Parse(id, File.ReadAllLines(file));
        modules[id] = module;
    }

    return module;
}

var enums = Enums.Read(modelsDir);
var definitions = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
var pending = new Queue<(string Module, string Name)>(roots.Select(r => (r[..r.IndexOf('.', StringComparison.Ordinal)], r[(r.IndexOf('.', StringComparison.Ordinal) + 1)..])));
var usedEnums = new HashSet<string>(StringComparer.Ordinal);

while (pending.TryDequeue(out var next))
{
    var id = DefinitionId(next.Module, next.Name);
    if (definitions.ContainsKey(id))
    {
        continue;
    }

    var module = Module(next.Module);
    if (module.Aliases.TryGetValue(next.Name, out var alias))
    {
        definitions[id] = AliasSchema(next.Name, alias);
        continue;
    }

    var fields = module.Interfaces.TryGetValue(next.Name, out var found)
        ? found
        : throw new InvalidOperationException($"{next.Module}: no interface or type {next.Name}");
    var schema = new JsonObject { ["type"] = "object" };
    if (fields.Count == 0)
    {
        // FieldsV1, RawExtension: free-form JSON in the API (x-kubernetes-preserve-unknown-fields).
        schema["x-kubernetes-preserve-unknown-fields"] = true;
        definitions[id] = schema;
        continue;
    }

    var properties = new JsonObject();
    var required = new JsonArray();
    foreach (var field in fields)
    {
        var property = TypeSchema(module, field.Type, pending);
        if (enums.TryGetValue((id, field.Name), out var values))
        {
            var target = property["type"]?.GetValue<string>() == "array" ? (JsonObject)property["items"]! : property;
            if (target["type"]?.GetValue<string>() != "string" || target["enum"] is not null)
            {
                throw new InvalidOperationException($"{id}.{field.Name}: kubernetes-models has an enum, kubernetes-types has {field.Type}");
            }

            target["enum"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray());
            usedEnums.Add(id + "." + field.Name);
        }

        properties[field.Name] = property;
        if (!field.Optional)
        {
            required.Add((JsonNode)field.Name);
        }
    }

    if (required.Count > 0)
    {
        schema["required"] = required;
    }

    schema["properties"] = properties;
    definitions[id] = schema;
}

// The official OpenAPI's own name and shape for int-or-string fields (Service targetPort, maxSurge).
definitions["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = new JsonObject { ["type"] = "string", ["format"] = "int-or-string" };

var skipped = enums.Keys
    .Where(k => definitions.ContainsKey(k.Definition) && !usedEnums.Contains(k.Definition + "." + k.Field))
    .Select(k => k.Definition + "." + k.Field)
    .Order(StringComparer.Ordinal)
    .ToList();

var document = new JsonObject
{
    ["info"] = new JsonObject
    {
        ["title"] = "Kubernetes v1.30 API schema: the kinds k8s/ ships and every type they reach",
        ["kubernetes"] = "v1.30",
        ["generator"] = "tests/k8s-schema/generate.sh (Generate.cs); do not edit by hand",
        ["fields"] = "npm kubernetes-types@1.30.0 (generated from the Kubernetes v1.30 OpenAPI)",
        ["enums"] = "npm kubernetes-models@4.5.1 (Kubernetes OpenAPI with the enum values restored), on v1.30 fields only",
        ["enumsOnFieldsNewerThanV130"] = new JsonArray(skipped.Select(s => (JsonNode)s).ToArray()),
    },
    ["roots"] = new JsonObject(roots.Select(r =>
    {
        var module = r[..r.IndexOf('.', StringComparison.Ordinal)];
        var name = r[(r.IndexOf('.', StringComparison.Ordinal) + 1)..];
        // kubernetes-types names modules by short group; apiVersion uses the API group's full name.
        var group = module switch
        {
            _ when module.StartsWith("core/", StringComparison.Ordinal) => module["core/".Length..],
            _ when module.StartsWith("rbac/", StringComparison.Ordinal) => "rbac.authorization.k8s.io/" + module["rbac/".Length..],
            _ => module,
        };
        return KeyValuePair.Create<string, JsonNode?>(group + "/" + name, DefinitionId(module, name));
    })),
    ["definitions"] = new JsonObject(definitions.Select(d => KeyValuePair.Create<string, JsonNode?>(d.Key, d.Value))),
};

File.WriteAllText(output, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
Console.WriteLine($"{definitions.Count} definitions, {usedEnums.Count} enum fields -> {output}");
return 0;

static JsonObject AliasSchema(string name, string type) => (name, type) switch
{
    ("Quantity", "string") => new JsonObject { ["type"] = "string", ["format"] = "quantity" },
    ("Time" or "MicroTime", "string") => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
    _ => throw new InvalidOperationException($"type alias {name} = {type} has no mapping"),
};

JsonObject TypeSchema(TypesModule module, string type, Queue<(string, string)> queue)
{
    switch (type)
    {
        case "string":
            return new JsonObject { ["type"] = "string" };
        case "boolean":
            return new JsonObject { ["type"] = "boolean" };
        case "number":
            // Every number in core/v1, apps/v1, batch/v1 and meta/v1 is an int32 or int64 in the
            // OpenAPI (floats appear only in apiextensions' JSONSchemaProps, not reached from here).
            return new JsonObject { ["type"] = "integer" };
        case "number | string":
            return Ref("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
    }

    var literal = Regex.Match(type, "^\"([^\"]*)\"$");
    if (literal.Success)
    {
        return new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(literal.Groups[1].Value) };
    }

    if (type.StartsWith("Array<", StringComparison.Ordinal) && type.EndsWith('>'))
    {
        return new JsonObject { ["type"] = "array", ["items"] = TypeSchema(module, type[6..^1], queue) };
    }

    var map = Regex.Match(type, @"^\{\[name: string\]: (.+);\}$");
    if (map.Success)
    {
        return new JsonObject { ["type"] = "object", ["additionalProperties"] = TypeSchema(module, map.Groups[1].Value, queue) };
    }

    if (Regex.IsMatch(type, "^[A-Z][A-Za-z0-9]*$"))
    {
        var owner = module.Imports.TryGetValue(type, out var imported) ? imported : module.Id;
        queue.Enqueue((owner, type));
        return Ref(DefinitionId(owner, type));
    }

    throw new InvalidOperationException($"{module.Id}: type {type} has no mapping");
}

static JsonObject Ref(string id) => new() { ["$ref"] = "#/definitions/" + id };

static string DefinitionId(string module, string name)
{
    var prefix = module switch
    {
        "meta/v1" => "io.k8s.apimachinery.pkg.apis.meta.v1",
        "api/resource" => "io.k8s.apimachinery.pkg.api.resource",
        "runtime" => "io.k8s.apimachinery.pkg.runtime",
        _ when Regex.IsMatch(module, "^[a-z]+/v[0-9a-z]+$") => "io.k8s.api." + module.Replace('/', '.'),
        _ => throw new InvalidOperationException("no definition prefix for module " + module),
    };
    return prefix + "." + name;
}

/// <summary>One kubernetes-types .d.ts file: its interfaces (fields in order), type aliases and imports.</summary>
internal sealed partial class TypesModule
{
    private TypesModule(string id) => Id = id;

    public string Id { get; }

    public Dictionary<string, List<Field>> Interfaces { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Aliases { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Imports { get; } = new(StringComparer.Ordinal);

    public static TypesModule Parse(string id, string[] lines)
    {
        var module = new TypesModule(id);
        List<Field>? current = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            Match m;
            if ((m = ImportLine().Match(line)).Success)
            {
                var target = Path.GetRelativePath(".", Path.Combine(Path.GetDirectoryName(id) ?? "", m.Groups[2].Value)).Replace('\\', '/');
                foreach (var name in m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    module.Imports[name] = target;
                }
            }
            else if ((m = AliasLine().Match(line)).Success)
            {
                module.Aliases[m.Groups[1].Value] = m.Groups[2].Value;
            }
            else if ((m = InterfaceLine().Match(line)).Success)
            {
                current = [];
                module.Interfaces[m.Groups[1].Value] = current;
                if (m.Groups[2].Value == "}")
                {
                    current = null;
                }
            }
            else if (line == "}")
            {
                current = null;
            }
            else if (current is not null && (m = FieldLine().Match(line)).Success)
            {
                var type = m.Groups[3].Value;
                if (type == "{")
                {
                    // A map spans lines: "    data?: {", "        [name: string]: string;", "    };"
                    var body = "";
                    while (lines[++i] != "    };")
                    {
                        body += lines[i].Trim();
                    }

                    type = "{" + body + "}";
                }
                else
                {
                    type = type.TrimEnd(';');
                }

                current.Add(new Field(m.Groups[1].Value, m.Groups[2].Value == "?", type));
            }
        }

        return module;
    }

    [GeneratedRegex("^import \\{ (.+) \\} from \"(.+)\";$")]
    private static partial Regex ImportLine();

    [GeneratedRegex("^export type ([A-Za-z0-9]+) = (.+);$")]
    private static partial Regex AliasLine();

    [GeneratedRegex("^export interface ([A-Za-z0-9]+) \\{(\\}?)$")]
    private static partial Regex InterfaceLine();

    [GeneratedRegex("^    ([A-Za-z$_][A-Za-z0-9$_]*)(\\??): (.+)$")]
    private static partial Regex FieldLine();
}

/// <summary>A field of a kubernetes-types interface: optional unless the OpenAPI lists it as required.</summary>
internal sealed record Field(string Name, bool Optional, string Type);

/// <summary>String-literal unions in kubernetes-models' interfaces, keyed by OpenAPI definition and field.</summary>
internal static partial class Enums
{
    private static readonly (string Folder, string Definition)[] Groups =
    [
        ("v1", "io.k8s.api.core.v1."),
        ("apps/v1", "io.k8s.api.apps.v1."),
        ("batch/v1", "io.k8s.api.batch.v1."),
    ];

    public static Dictionary<(string Definition, string Field), string[]> Read(string modelsDir)
    {
        var enums = new Dictionary<(string, string), string[]>();
        foreach (var (folder, definition) in Groups)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(modelsDir, folder), "*.d.ts").Order(StringComparer.Ordinal))
            {
                string? owner = null;
                foreach (var line in File.ReadLines(file))
                {
                    Match m;
                    if ((m = InterfaceLine().Match(line)).Success)
                    {
                        owner = definition + m.Groups[1].Value;
                    }
                    else if (line == "}")
                    {
                        owner = null;
                    }
                    else if (owner is not null && (m = UnionField().Match(line)).Success && m.Groups[1].Value is not "apiVersion" and not "kind")
                    {
                        var values = Literal().Matches(m.Groups[2].Value).Select(v => v.Groups[1].Value).ToArray();
                        enums[(owner, m.Groups[1].Value)] = values;
                    }
                }
            }
        }

        return enums;
    }

    // "export interface IPodSpec {" in v1/PodSpec.d.ts is io.k8s.api.core.v1.PodSpec.
    [GeneratedRegex("^export interface I([A-Za-z0-9]+) \\{$")]
    private static partial Regex InterfaceLine();

    // "    \"restartPolicy\"?: \"Always\" | \"Never\" | \"OnFailure\";" or an Array<...> of such a union.
    [GeneratedRegex("^    \"([A-Za-z0-9]+)\"\\??: (?:Array<)?(\"[^\"]*\"(?: \\| \"[^\"]*\")*)>?;$")]
    private static partial Regex UnionField();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Literal();
}
