using System.Text.Json.Nodes;

namespace BatchJob.Tests.Kit;

/// <summary>
/// A pod's volumes as temporary folders: each mount (scratch emptyDirs and the data claim) gets one,
/// the data claim with the <c>input/</c> and <c>results/</c> folders a student makes, and every
/// argument and environment value under a mount path is rewritten to its folder, after Kubernetes'
/// <c>$(VAR)</c> expansion of the arguments.
/// </summary>
internal static class PodVolumes
{
    public const string DataClaim = "batch-data";

    /// <returns>The container's arguments and environment with mount paths rewritten, and the folder of each mount path.</returns>
    public static (List<string> Args, Dictionary<string, string?> Environment, Dictionary<string, string> Folders) Map(
        JsonObject template, JsonObject container, IReadOnlyDictionary<string, string> environment, Func<string, string>? editArg = null)
    {
        var usable = template["spec"]!["volumes"]!.AsArray()
            .Where(v => v!["emptyDir"] is not null || (string?)v!["persistentVolumeClaim"]?["claimName"] == DataClaim)
            .ToDictionary(v => (string)v!["name"]!, v => v!["persistentVolumeClaim"] is not null, StringComparer.Ordinal);
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mount in container["volumeMounts"]!.AsArray())
        {
            var name = (string)mount!["name"]!;
            usable.Should().ContainKey(name, "every mount is a scratch emptyDir or the data claim");
            var folder = Directory.CreateTempSubdirectory("pod-volume-").FullName;
            if (usable[name])
            {
                Directory.CreateDirectory(Path.Combine(folder, "input"));
                Directory.CreateDirectory(Path.Combine(folder, "results"));
            }

            folders[(string)mount["mountPath"]!] = folder;
        }

        string Rewrite(string text) =>
            folders.Aggregate(text, (t, v) => t.Replace("=" + v.Key + "/", "=" + v.Value + "/", StringComparison.Ordinal));

        var args = (container["args"]?.AsArray() ?? []).Select(a => (string)a!).Select(editArg ?? (a => a))
            .Select(a => Rewrite(PodEnvironment.Expand(a, environment))).ToList();
        var env = environment.ToDictionary(
            e => e.Key,
            e => (string?)folders.Aggregate(e.Value, (t, v) => t.StartsWith(v.Key + "/", StringComparison.Ordinal) ? v.Value + t[v.Key.Length..] : t),
            StringComparer.Ordinal);
        return (args, env, folders);
    }
}
