using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>
/// setup.md (with the docs it links to) and what we ship agree: every file, namespace, object
/// name, label, image tag, cluster name and tool its commands use exists or is listed, and the
/// outputs it shows are the worker's.
/// </summary>
public sealed partial class SetupGuideTests
{
    /// <summary>kubectl resource words and the kind of object they name.</summary>
    private static readonly Dictionary<string, string> KindWords = new(StringComparer.Ordinal)
    {
        ["job"] = "Job", ["jobs"] = "Job", ["job.batch"] = "Job",
        ["cronjob"] = "CronJob", ["cronjobs"] = "CronJob", ["cj"] = "CronJob",
        ["deployment"] = "Deployment", ["deployments"] = "Deployment", ["deploy"] = "Deployment",
        ["configmap"] = "ConfigMap", ["configmaps"] = "ConfigMap", ["cm"] = "ConfigMap",
        ["service"] = "Service", ["services"] = "Service", ["svc"] = "Service",
        ["endpoints"] = "Service", ["ep"] = "Service",
        ["namespace"] = "Namespace", ["namespaces"] = "Namespace", ["ns"] = "Namespace",
    };

    /// <summary>kubectl flags whose value is the next token.</summary>
    private static readonly HashSet<string> ValueFlags = new(StringComparer.Ordinal)
    {
        "-n", "--namespace", "-l", "--selector", "-o", "--output", "-p", "--patch", "-c", "--container",
        "-f", "--filename", "-k", "--kustomize", "--context", "--timeout", "--tail", "--sort-by", "--for", "--from", "--name", "--config",
    };

    private static readonly string[] ApplyKustomization = ["kubectl", "apply", "-k", "k8s/"];

    private static readonly string[] DeleteCluster = ["kind", "delete", "cluster", "--name", "mcp-cluster"];

    /// <summary>The one object from outside the kit the guide names: metrics-server, which docs/troubleshooting.md installs from its release manifest.</summary>
    private static readonly (string Kind, string Name, string Namespace, string Installer) MetricsServer =
        ("Deployment", "metrics-server", "kube-system", "https://github.com/kubernetes-sigs/metrics-server/releases/download/");

    /// <summary>Commands every shell has, or the usual Unix tools the prerequisites name as assumed.</summary>
    private static readonly HashSet<string> ShellTools = new(StringComparer.Ordinal)
    {
        "cd", "ls", "cat", "grep", "sed", "head", "tail", "sort", "uniq", "paste", "wc", "echo", "printf",
        "chmod", "mv", "cp", "rm", "mkdir", "for", "do", "done", "wait",
    };

    private static readonly Lazy<IReadOnlyList<IReadOnlyList<string>>> Commands = new(() =>
        SetupGuide.GuideFiles.SelectMany(f => SetupGuide.Commands(Repo.Read(f))).Select(Normalize).Where(c => c.Count > 0).ToList());

    /// <summary>Drops VAR=value prefixes and opens $( ... ) substitutions, so the command word comes first.</summary>
    private static IReadOnlyList<string> Normalize(IReadOnlyList<string> command)
    {
        var tokens = command.ToList();
        if (tokens.Count > 0 && Substitution().Match(tokens[0]) is { Success: true } sub)
        {
            tokens[0] = sub.Groups[1].Value;
        }

        while (tokens.Count > 0 && EnvAssignment().IsMatch(tokens[0]))
        {
            tokens.RemoveAt(0);
        }

        return tokens;
    }

    private static IEnumerable<IReadOnlyList<string>> Tool(string name) => Commands.Value.Where(c => c[0] == name);

    /// <summary>The value of a flag (-n X, --namespace X or --namespace=X) wherever it appears.</summary>
    private static IEnumerable<string> FlagValues(IReadOnlyList<string> command, params string[] flags)
    {
        for (var i = 1; i < command.Count; i++)
        {
            foreach (var flag in flags)
            {
                if (command[i] == flag && i + 1 < command.Count)
                {
                    yield return command[i + 1];
                }
                else if (command[i].StartsWith(flag + "=", StringComparison.Ordinal))
                {
                    yield return command[i][(flag.Length + 1)..];
                }
            }
        }
    }

    /// <summary>The positional words of a command: flags and their values removed.</summary>
    private static List<string> Positional(IReadOnlyList<string> command)
    {
        var words = new List<string>();
        for (var i = 1; i < command.Count; i++)
        {
            if (command[i].StartsWith('-'))
            {
                if (ValueFlags.Contains(command[i]))
                {
                    i++;
                }

                continue;
            }

            words.Add(command[i]);
        }

        return words;
    }

    /// <summary>Objects the guide itself creates (kubectl create job|configmap NAME ...), as (kind, name).</summary>
    private static HashSet<(string Kind, string Name)> CreatedObjects() =>
        Tool("kubectl").Select(Positional)
            .Where(p => p.Count >= 3 && p[0] == "create" && KindWords.ContainsKey(p[1]))
            .Select(p => (KindWords[p[1]], p[2])).ToHashSet();

    [Fact]
    public void The_guide_stays_short_enough_to_follow_with_its_reference_material_in_docs()
    {
        // Students read setup.md top to bottom; measurements, scale-out and cost tables live in docs/.
        var lines = SetupGuide.Text.Count(c => c == '\n');
        lines.Should().BeLessThanOrEqualTo(900, "new reference material belongs in docs/, linked from the guide");
        SetupGuide.Text.Should().Contain("## Contents").And.Contain("## Fast path");
        SetupGuide.Text.IndexOf("## Fast path", StringComparison.Ordinal).Should().BeLessThan(SetupGuide.Text.IndexOf("### Step 1:", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_k8s_file_the_guide_names_exists_and_every_manifest_is_applied()
    {
        var named = K8sPath().Matches(SetupGuide.Text).Select(m => m.Value).Distinct().ToList();
        named.Should().NotBeEmpty();
        named.Should().OnlyContain(p => File.Exists(Repo.File(p.Split('/'))), "setup.md may only name files we ship");

        var applied = Tool("kubectl").Where(c => c.Count > 1 && c[1] == "apply").SelectMany(c => FlagValues(c, "-f", "--filename")).ToHashSet();
        foreach (var file in Manifests.Files.Select(Path.GetFileName).Where(f => f != "kustomization.yaml"))
        {
            applied.Should().Contain("k8s/base/" + file, "a student applies every manifest");
        }

        Tool("kubectl").Should().Contain(c => c.SequenceEqual(ApplyKustomization));
    }

    [Fact]
    public void Every_namespace_context_and_cluster_name_in_the_commands_is_ours()
    {
        var namespaces = Tool("kubectl").Where(c => !c.Contains(MetricsServer.Name) && !c.Contains("deployment/" + MetricsServer.Name))
            .SelectMany(c => FlagValues(c, "-n", "--namespace")).ToList();
        namespaces.Should().NotBeEmpty().And.OnlyContain(n => n == Manifests.Namespace);
        Tool("kubectl").Where(c => c.Contains(MetricsServer.Name) || c.Contains("deployment/" + MetricsServer.Name))
            .SelectMany(c => FlagValues(c, "-n", "--namespace")).Where(n => n != MetricsServer.Namespace).Should().BeEmpty();

        var cluster = (string)Yaml.Load(Repo.Read("kind-mcp-cluster.yaml"))["name"]!;
        Tool("kind").SelectMany(c => FlagValues(c, "--name")).Should().NotBeEmpty().And.OnlyContain(n => n == cluster);
        Commands.Value.SelectMany(c => FlagValues(c, "--context")).Should().OnlyContain(c => c == "kind-" + cluster);
        Tool("kind").Where(c => c.Count > 2 && c[1] == "create").SelectMany(c => FlagValues(c, "--config")).Should().NotBeEmpty().And.OnlyContain(f => f == "kind-mcp-cluster.yaml");
        Tool("kind").Should().Contain(c => c.SequenceEqual(DeleteCluster));
    }

    [Fact]
    public void Every_object_the_commands_name_is_shipped_or_created_by_the_guide()
    {
        var created = CreatedObjects();
        created.Should().Contain(("Job", "manual-run")).And.Contain(("Job", "bad-input"));
        var references = new List<(string Kind, string Name)>();
        foreach (var command in Tool("kubectl"))
        {
            var words = Positional(command);
            for (var i = 0; i < words.Count; i++)
            {
                var slash = words[i].Split('/');
                if (slash.Length == 2 && KindWords.TryGetValue(slash[0], out var kind))
                {
                    references.Add((kind, slash[1]));
                }
                else if (KindWords.TryGetValue(words[i], out kind) && i + 1 < words.Count && !words[i + 1].Contains('/', StringComparison.Ordinal))
                {
                    references.Add((kind, words[i + 1]));
                    i++;
                }
            }

            foreach (var from in FlagValues(command, "--from"))
            {
                var parts = from.Split('/');
                references.Add((KindWords[parts[0]], parts[1]));
            }
        }

        references.Should().Contain(("CronJob", Manifests.CronJobName)).And.Contain(("Deployment", "otel-collector-paid"));
        var metricsServerInstalled = Tool("kubectl").Any(c => FlagValues(c, "-f").Any(f => f.StartsWith(MetricsServer.Installer, StringComparison.Ordinal)));
        var appliesOverlay = Tool("kubectl").Any(c => c.SequenceEqual(["kubectl", "apply", "-k", "k8s/observability/"]));
        foreach (var (kind, name) in references.Distinct().Where(r => !r.Name.StartsWith('$')))
        {
            // $NAME: a shell variable the guide filled from kubectl itself.
            var exists = Manifests.Objects.Any(o => Manifests.Kind(o) == kind && Manifests.Name(o) == name)
                || created.Contains((kind, name))
                || (metricsServerInstalled && (kind, name) == (MetricsServer.Kind, MetricsServer.Name))
                || (appliesOverlay && Observability.Overlay.Objects.Any(o => Manifests.Kind(o) == kind && Manifests.Name(o) == name));
            exists.Should().BeTrue($"setup.md names {kind} {name}");
        }
    }

    [Fact]
    public void Every_label_selector_matches_labels_we_ship()
    {
        var appLabels = Manifests.Objects
            .SelectMany(o => new[] { o["metadata"]?["labels"], o["spec"]?["template"]?["metadata"]?["labels"], o["spec"]?["jobTemplate"]?["spec"]?["template"]?["metadata"]?["labels"] })
            .Select(l => (string?)l?["app"]).OfType<string>().ToHashSet();
        var created = CreatedObjects();
        var selectors = Tool("kubectl").SelectMany(c => FlagValues(c, "-l", "--selector")).ToList();
        selectors.Should().Contain("app=batch-inference-paid").And.Contain("app=otel-collector-paid");
        foreach (var selector in selectors)
        {
            var (key, value) = (selector.Split('=')[0], selector.Split('=')[1]);
            switch (key)
            {
                case "app":
                    appLabels.Should().Contain(value);
                    break;
                case "job-name":
                    // The Job controller labels its pods with their Job's name.
                    (created.Contains(("Job", value)) || Manifests.Objects.Any(o => Manifests.Kind(o) == "Job" && Manifests.Name(o) == value)).Should().BeTrue(selector);
                    break;
                default:
                    throw new InvalidOperationException("unexpected selector " + selector);
            }
        }
    }

    [Fact]
    public void Image_tag_of_docker_build_and_kind_load_is_the_manifests_image()
    {
        // A bare `docker build` in the prose names the command; the command lines have arguments.
        var builds = Tool("docker").Where(c => c.Count > 2 && c[1] == "build").ToList();
        builds.Should().NotBeEmpty().And.OnlyContain(b => b.SequenceEqual(new[] { "docker", "build", "-t", Manifests.BatchImage, "." }));
        var loads = Tool("kind").Where(c => c.Count > 2 && c[1] == "load").Select(Positional).ToList();
        loads.Should().Contain(l => l.SequenceEqual(new[] { "load", "docker-image", Manifests.BatchImage }));
        var saved = Tool("docker").Where(c => c.Count > 3 && c[1] == "image" && c[2] == "save" && c.Contains(Manifests.BatchImage)).SelectMany(c => FlagValues(c, "-o", "--output")).ToHashSet();
        foreach (var load in loads.Where(l => l[1] != "docker-image"))
        {
            load[1].Should().Be("image-archive");
            saved.Should().Contain(load[2], "an archive loaded into kind is a docker image save of our image");
        }

        var images = new[] { ("Job", Manifests.JobName), ("CronJob", Manifests.CronJobName) }
            .Select(w => (string)Manifests.Container(Manifests.PodTemplate(w.Item1, w.Item2), Manifests.BatchContainer)["image"]!);
        images.Should().OnlyContain(i => i == Manifests.BatchImage);
        Tool("docker").Where(c => c.Count > 2 && c[1] == "images").Select(c => c[2]).Should().OnlyContain(i => Manifests.BatchImage.StartsWith(i + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void Shown_listings_match_the_shipped_files()
    {
        var blocks = SetupGuide.Blocks();
        var ls = blocks.SkipWhile(b => !(b.Language == "bash" && b.Lines.Any(l => l.Trim() == "ls"))).Skip(1).First();
        var root = Directory.GetFileSystemEntries(Repo.Root).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.') && n != "TestResults");
        ls.Lines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Should().BeEquivalentTo(root, "Step 1 shows the clone's top folder");

        var lsK8s = blocks.SkipWhile(b => !(b.Language == "bash" && b.Lines.Any(l => l.Trim() == "ls k8s/base"))).Skip(1).First();
        lsK8s.Lines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Should().BeEquivalentTo(Manifests.Files.Select(Path.GetFileName));

        var data = Manifests.Find("ConfigMap", "batch-inference-config")["data"]!.AsObject().Count;
        ConfigMapListing().Match(SetupGuide.Text).Groups[1].Value.Should().Be(data.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var envBlock = blocks.SkipWhile(b => !(b.Language == "bash" && b.Lines.Any(l => l.Contains(".env.example", StringComparison.Ordinal) && l.StartsWith("grep", StringComparison.Ordinal)))).Skip(1).First();
        var shown = envBlock.Lines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        shown.Should().Equal(File.ReadAllLines(Repo.File(".env.example")).Where(l => l.Length > 0 && !l.StartsWith('#')));
    }

    [Fact]
    public async Task Worker_outputs_shown_in_the_guide_have_the_fields_the_worker_prints()
    {
        // Step 12's lines carry what the Job's pod adds (baggage, resume fields): GuidePodRunTests holds them to a run of that pod.
        var shown = SetupGuide.Blocks().Where(b => b.Language == "json").SelectMany(b => b.Lines)
            .Where(l => l.StartsWith('{') && !SetupGuide.PodRunLines.Contains(l))
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .ToList();
        var run = await PublishedWorker.RunAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9",
            ["TELEMETRY_FLUSH_TIMEOUT_MS"] = "500",
            // As the lab's ConfigMap sets it: the cluster's lines the guide shows count log records too.
            ["OTEL_LOGS_EXPORTER"] = "otlp",
        });
        run.ExitCode.Should().Be(0, run.ToString());
        var real = run.StdoutLines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

        foreach (var message in new[] { "Initializing OpenTelemetry", "Starting batch inference job", "Record processed", "Batch job completed", "Telemetry not fully delivered" })
        {
            var actual = real.First(l => (string)l["message"]! == message);
            var inGuide = shown.Where(l => (string?)l["message"] == message).ToList();
            inGuide.Should().NotBeEmpty($"setup.md shows a '{message}' line");
            foreach (var line in inGuide)
            {
                line.Select(p => p.Key).Should().BeSubsetOf(actual.Select(p => p.Key), $"every field setup.md shows in '{message}' is printed");
                if (message is "Record processed" or "Batch job completed")
                {
                    line.Select(p => p.Key).Should().BeEquivalentTo(actual.Select(p => p.Key), $"'{message}' is shown whole");
                }

                if (line["summary"] is JsonObject summary)
                {
                    summary.Select(p => p.Key).Should().BeEquivalentTo(actual["summary"]!.AsObject().Select(p => p.Key));
                }
            }
        }

        var records = SetupGuide.Blocks().Where(b => b.Language == "json").SelectMany(b => b.Lines)
            .Where(l => l.Contains("\"Record processed\"", StringComparison.Ordinal)).ToList();
        records.Select(l => PredictionText().Match(l).Groups[1].Value).Should().Equal("6.0", "15.0", "6.0", "15.0");
        shown.Where(l => l["summary"] is not null && (long)l["summary"]!["total_records"]! == 2)
            .Should().OnlyContain(l => (double)l["summary"]!["avg_prediction"]! == 10.5);
    }

    [Fact]
    public void Every_tool_the_commands_start_is_in_the_prerequisites()
    {
        var section = SetupGuide.Text[SetupGuide.Text.IndexOf("\n## Prerequisites", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var listed = PrerequisiteCheck().Matches(section).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        listed.Should().Contain(["docker", "kind", "kubectl", "dotnet", "git"]);

        var used = Commands.Value.Select(c => c[0] == "sudo" ? c[1] : c[0]).Distinct().ToList();
        used.Where(t => !ShellTools.Contains(t)).Should().OnlyContain(t => listed.Contains(t), "every tool a command runs is in the prerequisites table (with a check command)");
        used.Should().Contain(["kubectl", "jq", "python3", "curl"], "the parser finds the commands");
    }

    [Fact]
    public void Cleanup_says_what_kubectl_delete_k_deletes_as_the_kustomization_lists_it()
    {
        // kubectl prints `<resource> "<name>" deleted` for every object the kustomization's resources hold.
        var resources = Yaml.Load(Repo.Read("k8s", "base", "kustomization.yaml"))["resources"]!.AsArray().Select(r => (string)r!).ToList();
        var objects = Manifests.All.Where(a => resources.Contains(a.File)).Select(a => a.Document).ToList();
        var expected = objects.Select(o => $"{DeletedResource(Manifests.Kind(o))} \"{Manifests.Name(o)}\" deleted").ToList();

        var blocks = SetupGuide.Blocks();
        var command = blocks.SelectMany(b => b.Lines).Single(l => l.StartsWith("kubectl delete -k k8s/", StringComparison.Ordinal)).Trim();
        var shown = blocks.SkipWhile(b => !(b.Language == "bash" && b.Lines.Any(l => l.Trim() == command))).Skip(1).First();
        shown.Lines.Where(l => l.Length > 0).Should().BeEquivalentTo(expected, "the expected output of kubectl delete -k k8s/ lists what the kustomization applies");

        // A Job with a TTL is gone an hour after it finished (and the fast path never applies the CronJob):
        // without --ignore-not-found, kubectl prints NotFound for it and exits 1, so the cleanup must not depend on it.
        var mayBeGone = objects.Where(o => Manifests.Kind(o) == "CronJob" || o["spec"]?["ttlSecondsAfterFinished"] is not null).ToList();
        mayBeGone.Should().NotBeEmpty();
        command.Should().Be("kubectl delete -k k8s/ --ignore-not-found");
        var cleanup = SetupGuide.Text[SetupGuide.Text.IndexOf("\n## Cleanup", StringComparison.Ordinal)..];
        cleanup[..cleanup.IndexOf(command, StringComparison.Ordinal)].Should().Contain("NotFound").And.Contain("exits 1").And.Contain("TTL");

        if (objects.Any(o => Manifests.Kind(o) == "Namespace"))
        {
            SetupGuide.Text.Should().Contain("**deletes the namespace**").And.NotContainAny(["keep the namespace", "keeps the namespace"]);
        }
        else
        {
            SetupGuide.Text.Should().NotContain("deletes the namespace");
        }
    }

    private static string DeletedResource(string kind) => kind switch
    {
        "Deployment" => "deployment.apps",
        "Job" or "CronJob" => kind.ToLowerInvariant() + ".batch",
        _ => kind.ToLowerInvariant(),
    };

    [Fact]
    public void Guide_keeps_the_cost_worked_example_right()
    {
        var cost = ((0.5 * 0.04) + (0.5 * 0.005)) * 0.045 / 3600;
        cost.Should().BeApproximately(2.8125e-7, 1e-20);
        SetupGuide.Text.Should().Contain("2.8125e-7 USD per record");
    }

    [Fact]
    public void The_cost_comparison_table_adds_up()
    {
        // docs/cost.md: USD / month = pod-hours x USD per pod-hour, and "vs baseline" is that
        // against the baseline row, whose pod-hour is 0.5 cores and 0.5 GiB at the lab's prices.
        var rows = CostRow().Matches(Repo.Read("docs", "cost.md")).Select(m => (
            Change: m.Groups["change"].Value.Trim(),
            PodHours: double.Parse(m.Groups["hours"].Value, CultureInfo.InvariantCulture),
            Rate: double.Parse(m.Groups["rate"].Value, CultureInfo.InvariantCulture),
            Month: double.Parse(m.Groups["month"].Value, CultureInfo.InvariantCulture),
            Versus: m.Groups["vs"].Value.Trim())).ToList();
        rows.Should().HaveCountGreaterThanOrEqualTo(5);
        var baseline = rows[0];
        baseline.Change.Should().StartWith("baseline");
        baseline.Rate.Should().BeApproximately((0.5 * 0.04) + (0.5 * 0.005), 1e-9);
        foreach (var row in rows)
        {
            row.Month.Should().BeApproximately(row.PodHours * row.Rate, 0.005, row.Change);
            var percent = Math.Round(100 * ((row.Month / baseline.Month) - 1));
            if (row != baseline)
            {
                var shown = row.Versus.Split(' ')[0].Replace('\u2212', '-').Replace("+", string.Empty, StringComparison.Ordinal);
                double.Parse(shown, CultureInfo.InvariantCulture).Should().BeApproximately(percent, 1, row.Change);
            }
        }
    }

    // A row of the prerequisites table: | tool | version | `check command` | used for |
    [GeneratedRegex(@"(?m)^\|[^|\n]+\|[^|\n]+\|\s*`([a-z0-9]+)[ `]")]
    private static partial Regex PrerequisiteCheck();

    // | change | run time | pod-hours / month | USD per pod-hour | USD / month | vs baseline |
    [GeneratedRegex(@"(?m)^\|(?<change>[^|\n]+)\|[^|\n]+\|\s*(?<hours>[0-9.]+)\s*\|\s*(?<rate>[0-9.]+)\s*\|\s*(?<month>[0-9.]+)\s*\|(?<vs>[^|\n]*)\|\s*$")]
    private static partial Regex CostRow();

    [GeneratedRegex(@"k8s/[A-Za-z0-9._/-]+\.ya?ml")]
    private static partial Regex K8sPath();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=\$\((.*)$")]
    private static partial Regex Substitution();

    [GeneratedRegex(@"^[A-Z_][A-Z0-9_]*=")]
    private static partial Regex EnvAssignment();

    [GeneratedRegex(@"(?m)^batch-inference-config\s+(\d+)\s")]
    private static partial Regex ConfigMapListing();

    [GeneratedRegex("\"prediction\":([0-9.eE+-]+)")]
    private static partial Regex PredictionText();
}
