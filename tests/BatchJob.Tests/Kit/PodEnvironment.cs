using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchJob.Configuration;

namespace BatchJob.Tests.Kit;

/// <summary>
/// The environment the kubelet would give a container of a pod template: envFrom ConfigMaps
/// first, then env entries in order (later wins), with fieldRef and resourceFieldRef resolved
/// from the pod's own metadata and resources, and <c>$(VAR)</c> expanded from what was defined
/// before (<c>$$</c> escapes; an unknown reference stays as written), as Kubernetes does.
/// </summary>
public static partial class PodEnvironment
{
    /// <summary>The uid the Job controller would label the pods with (an example).</summary>
    public const string JobUid = "5f0c2d1e-7a3b-4c8d-9e6f-0a1b2c3d4e5f";

    /// <param name="podName">The name the pod would get (the Job controller adds a random suffix).</param>
    /// <param name="jobName">The owning Job's name: the controller labels its pods with it.</param>
    public static Dictionary<string, string> Build(JsonObject podTemplate, string containerName, string podName, string jobName, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(podTemplate);
        var container = Manifests.Container(podTemplate, containerName);
        var labels = (podTemplate["metadata"]?["labels"]?.AsObject() ?? [])
            .ToDictionary(l => l.Key, l => (string)l.Value!, StringComparer.Ordinal);
        labels["batch.kubernetes.io/job-name"] = jobName;
        labels["job-name"] = jobName;
        labels["batch.kubernetes.io/controller-uid"] = JobUid;

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container["envFrom"]?.AsArray() ?? [])
        {
            var configMapName = (string)source!["configMapRef"]!["name"]!;
            var configMap = Manifests.Find("ConfigMap", configMapName);
            foreach (var (key, value) in configMap["data"]!.AsObject())
            {
                env[key] = (string)value!;
            }
        }

        foreach (var entry in container["env"]?.AsArray() ?? [])
        {
            var name = (string)entry!["name"]!;
            env[name] = entry["valueFrom"] is { } from
                ? ValueFrom(from, container, podName, @namespace, labels)
                : Expand((string?)entry["value"] ?? string.Empty, env);
        }

        return env;
    }

    /// <summary>Kubernetes' $(VAR) expansion: defined names are replaced, $$ is a literal $, the rest stays.</summary>
    public static string Expand(string value, IReadOnlyDictionary<string, string> defined)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(defined);
        var result = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '$')
            {
                result.Append('$');
                i++;
            }
            else if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '(' && value.IndexOf(')', i + 2) is var close && close > 0)
            {
                var name = value[(i + 2)..close];
                result.Append(defined.TryGetValue(name, out var replacement) ? replacement : value[i..(close + 1)]);
                i = close;
            }
            else
            {
                result.Append(value[i]);
            }
        }

        return result.ToString();
    }

    private static string ValueFrom(JsonNode from, JsonObject container, string podName, string @namespace, Dictionary<string, string> labels)
    {
        if (from["fieldRef"] is { } fieldRef)
        {
            var path = (string)fieldRef["fieldPath"]!;
            var label = LabelPath().Match(path);
            return path switch
            {
                "metadata.name" => podName,
                "metadata.namespace" => @namespace,
                _ when label.Success => labels.TryGetValue(label.Groups[1].Value, out var v) ? v : string.Empty,
                _ => throw new NotSupportedException("fieldRef " + path + " is not simulated"),
            };
        }

        if (from["resourceFieldRef"] is { } resourceRef)
        {
            var resource = ((string)resourceRef["resource"]!).Split('.');
            var quantity = (string?)container["resources"]?[resource[0]]?[resource[1]]
                ?? throw new InvalidOperationException($"resourceFieldRef {resource[0]}.{resource[1]} has no value in the container's resources (Kubernetes would use the node's capacity)");
            var divisorText = (string?)resourceRef["divisor"] ?? "1";
            if (!Quantity.TryParse(quantity, out var amount) || !Quantity.TryParse(divisorText, out var divisor))
            {
                throw new InvalidOperationException($"not a quantity: {quantity} / {divisorText}");
            }

            // The kubelet rounds the quotient up to a whole number.
            return decimal.Ceiling(amount / divisor).ToString(CultureInfo.InvariantCulture);
        }

        throw new NotSupportedException("valueFrom " + from.ToJsonString() + " is not simulated");
    }

    [GeneratedRegex(@"^metadata\.labels\['([^']+)'\]$")]
    private static partial Regex LabelPath();
}
