using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>kind-mcp-cluster.yaml is a valid kind config for the lab's one-node cluster.</summary>
public sealed class KindConfigTests
{
    private static readonly string[] ClusterFields =
    [
        "kind", "apiVersion", "name", "nodes", "networking", "featureGates", "runtimeConfig",
        "kubeadmConfigPatches", "kubeadmConfigPatchesJSON6902", "containerdConfigPatches", "containerdConfigPatchesJSON6902",
    ];

    private static readonly string[] NodeFields =
        ["role", "image", "labels", "extraMounts", "extraPortMappings", "kubeadmConfigPatches", "kubeadmConfigPatchesJSON6902"];

    [Fact]
    public void Kind_config_names_mcp_cluster_with_one_control_plane_on_a_digest_pinned_v1_30_image()
    {
        var config = Yaml.Load(Repo.Read("kind-mcp-cluster.yaml"));

        ((string)config["kind"]!).Should().Be("Cluster");
        ((string)config["apiVersion"]!).Should().Be("kind.x-k8s.io/v1alpha4");
        ((string)config["name"]!).Should().Be("mcp-cluster");
        config.Select(p => p.Key).Should().OnlyContain(k => ClusterFields.Contains(k), "kind rejects unknown fields");

        var node = config["nodes"]!.AsArray().Should().ContainSingle().Subject!.AsObject();
        node.Select(p => p.Key).Should().OnlyContain(k => NodeFields.Contains(k));
        ((string)node["role"]!).Should().Be("control-plane");
        ((string)node["image"]!).Should().MatchRegex(@"^kindest/node:v1\.30\.\d+@sha256:[0-9a-f]{64}$");
    }
}
