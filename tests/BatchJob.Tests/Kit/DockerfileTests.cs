using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>
/// The Dockerfile builds the image the manifests run: a native AOT executable on a chiseled
/// runtime-deps base, without secrets or symbols, as a non-root user.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly Lazy<List<string>> Instructions = new(() =>
        Repo.Read("Dockerfile").Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
            .Select(l => Spaces().Replace(l.Trim(), " "))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList());

    private static IEnumerable<string> Named(string instruction) =>
        Instructions.Value.Where(i => i.StartsWith(instruction + " ", StringComparison.OrdinalIgnoreCase));

    /// <summary>The instructions of the last stage (the image), after its FROM.</summary>
    private static List<string> FinalStage() =>
        Instructions.Value.Skip(Instructions.Value.FindLastIndex(i => i.StartsWith("FROM ", StringComparison.Ordinal)) + 1).ToList();

    [Fact]
    public void No_env_file_or_secret_is_copied_into_the_image()
    {
        Named("COPY").Concat(Named("ADD")).Should().NotContain(i => i.Contains(".env", StringComparison.Ordinal) || EnvFile().IsMatch(i));
        var ignored = Repo.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToList();
        ignored.Should().Contain([".env", "**/bin/", "**/obj/", "tests/", ".git/"]);
    }

    [Fact]
    public void Multi_stage_restore_layer_then_native_AOT_publish_onto_chiseled_runtime_deps()
    {
        var from = Named("FROM").ToList();
        from.Should().HaveCountGreaterThanOrEqualTo(2);
        from[0].Should().Contain("mcr.microsoft.com/dotnet/sdk:10.0").And.Contain("-noble-aot", "the SDK image with the native toolchain");
        from[^1].Should().Contain("mcr.microsoft.com/dotnet/runtime-deps:10.0").And.Contain("-noble-chiseled", "no .NET runtime, no shell");
        // .NET 10 has no -noble-chiseled-aot image (a tag that does not exist fails docker build),
        // and -extra would add ICU and tzdata the invariant-globalization worker does not use.
        from[^1].Should().MatchRegex(@"-noble-chiseled(@sha256:[0-9a-f]{64})? AS runtime$");

        var steps = Instructions.Value;
        var restore = steps.FindIndex(i => i.Contains("dotnet restore", StringComparison.Ordinal));
        var copyProject = steps.FindIndex(i => i.StartsWith("COPY app/BatchJob.csproj", StringComparison.Ordinal));
        var copyProps = steps.FindIndex(i => i.StartsWith("COPY Directory.Build.props Directory.Packages.props", StringComparison.Ordinal));
        var copySource = steps.FindIndex(i => i.StartsWith("COPY app/ ", StringComparison.Ordinal));
        var publish = steps.FindIndex(i => i.Contains("dotnet publish", StringComparison.Ordinal));
        copyProps.Should().BeInRange(0, restore - 1);
        copyProject.Should().BeInRange(0, restore - 1);
        copySource.Should().BeGreaterThan(restore, "the source is copied after the restore layer");
        publish.Should().BeGreaterThan(copySource);

        // A --no-restore publish needs the AOT compiler packages in the restore, for the same architecture.
        steps[restore].Should().Contain("-p:PublishAot=true").And.Contain("-a $TARGETARCH");
        steps[publish].Should().Contain("--no-restore").And.Contain("-p:PublishAot=true").And.Contain("-a $TARGETARCH");
    }

    [Fact]
    public void AOT_build_stage_runs_on_the_target_platform()
    {
        // Native AOT links with the native toolchain of the machine it runs on; a stage forced to
        // the builder's platform would need a cross toolchain the aot SDK image does not have.
        Named("FROM").First().Should().NotContain("--platform");
    }

    [Fact]
    public void A_newer_SDK_analyzer_warning_cannot_fail_the_image_build_but_an_AOT_warning_still_does()
    {
        var publish = Instructions.Value.Single(i => i.Contains("dotnet publish", StringComparison.Ordinal));
        publish.Should().Contain("-p:TreatWarningsAsErrors=false").And.Contain("-p:IlcTreatWarningsAsErrors=true");
    }

    [Fact]
    public void The_image_gets_the_executable_settings_and_sample_and_no_debug_symbols()
    {
        var publish = Instructions.Value.Single(i => i.Contains("dotnet publish", StringComparison.Ordinal));
        publish.Should().Contain("-p:DebugType=none", "no .dbg file is produced");

        var copies = FinalStage().Where(i => i.StartsWith("COPY ", StringComparison.Ordinal) || i.StartsWith("ADD ", StringComparison.Ordinal)).ToList();
        copies.Should().OnlyContain(c => c.StartsWith("COPY --from=build ", StringComparison.Ordinal));
        var sources = copies.SelectMany(c => c.Split(' ').Skip(2).SkipLast(1)).ToList();
        sources.Should().BeEquivalentTo(["/out/BatchJob", "/out/appsettings.json", "/out/data/input.jsonl"],
            "named files only: a whole-folder copy would carry whatever else the publish leaves (.dbg, .pdb)");
    }

    [Fact]
    public void The_process_level_tests_publish_the_worker_as_the_image_build_does()
    {
        var publish = Instructions.Value.Single(i => i.Contains("dotnet publish", StringComparison.Ordinal)).Split(' ');
        publish.Where(a => a.StartsWith("-p:", StringComparison.Ordinal)).Should().BeEquivalentTo(PublishedWorker.NativeAotProperties,
            "the tests run what ships: a property the image build adds or drops changes the binary");
        publish.Should().ContainInConsecutiveOrder("-c", "Release");
    }

    [Fact]
    public void The_image_copies_every_file_the_publish_produces()
    {
        // The final stage copies named files (a whole-folder copy would carry symbols), so a file
        // the app comes to need must be added to it: a native worker under test with more files
        // than the image has would pass here and fail in the pod.
        var folder = Path.GetDirectoryName(PublishedWorker.Executable)!;
        var published = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => "/out/" + Path.GetRelativePath(folder, f)).ToList();
        var copied = FinalStage().Where(i => i.StartsWith("COPY --from=build ", StringComparison.Ordinal)).SelectMany(c => c.Split(' ').Skip(2).SkipLast(1)).ToList();

        if (PublishedWorker.IsNativeAot)
        {
            published.Should().BeEquivalentTo(copied, "the native publish is the executable and its content files, no runtime, no .dbg");
        }
        else
        {
            // The JIT build (no native toolchain here) adds the runtime's assemblies; the image's files are among them.
            published.Should().Contain(copied).And.Contain("/out/BatchJob.dll");
        }
    }

    [Fact]
    public void The_native_executable_needs_only_glibc_which_the_chiseled_runtime_deps_image_has()
    {
        if (!PublishedWorker.IsNativeAot)
        {
            // The JIT build (no native toolchain here) is not what the image runs: nothing to check.
            return;
        }

        // readelf -d lists the shared libraries the loader must find (NEEDED); the image has glibc's
        // (libc6_libs). No libstdc++ (the plain chiseled image has it, the discontinued -aot one did
        // not), no ICU: invariant globalization. OpenSSL is dlopen'ed for https only, so not listed.
        var readelf = Process.Start(new ProcessStartInfo("readelf", ["-d", PublishedWorker.Executable]) { RedirectStandardOutput = true })!;
        var dynamic = readelf.StandardOutput.ReadToEnd();
        readelf.WaitForExit();
        readelf.ExitCode.Should().Be(0);
        var needed = Needed().Matches(dynamic).Select(m => m.Groups[1].Value).ToList();
        needed.Should().NotBeEmpty(dynamic).And.OnlyContain(l => l == "libc.so.6" || l == "libm.so.6" || l.StartsWith("ld-linux", StringComparison.Ordinal), dynamic);
    }

    [Fact]
    public void Base_images_are_pinned_to_an_exact_version_or_a_digest()
    {
        foreach (var from in Named("FROM"))
        {
            from.Should().MatchRegex(@"^FROM mcr\.microsoft\.com/dotnet/[a-z-]+:10\.0\.\d+-[a-z-]+(@sha256:[0-9a-f]{64})?( AS \w+)?$",
                "a floating tag (10.0-noble-aot) would bring a newer SDK or base into the image unannounced");
        }
    }

    [Fact]
    public void The_base_images_the_docs_name_are_the_ones_the_Dockerfile_uses()
    {
        // setup.md tells students which SDK and base image their build uses; a version bump in the
        // Dockerfile must show there too.
        var used = Named("FROM").Select(f => f.Split(' ')[1].Split('@')[0]).ToList();
        var named = SetupGuide.GuideFiles.Append("README.md")
            .SelectMany(f => BaseImage().Matches(Repo.Read(f)).Select(m => (File: f, Image: m.Value)))
            .ToList();
        named.Should().NotBeEmpty("setup.md names the build's base images");
        foreach (var (file, image) in named)
        {
            used.Should().Contain(image, $"{file} names {image} as a base image of the build");
        }
    }

    [Fact]
    public void Runs_as_the_numeric_non_root_user_the_pods_expect_with_an_exec_form_entrypoint()
    {
        Named("USER").Last().Should().Be("USER 1654");
        Named("ENTRYPOINT").Should().ContainSingle().Which.Should().MatchRegex(@"^ENTRYPOINT \[""[^""]+""(, ""[^""]+"")*\]$");
        foreach (var kind in new[] { ("Job", Manifests.JobName), ("CronJob", Manifests.CronJobName) })
        {
            ((string)Manifests.PodTemplate(kind.Item1, kind.Item2)["spec"]!["securityContext"]!["runAsUser"]!).Should().Be("1654");
        }
    }

    [Fact]
    public void The_entrypoint_is_the_native_executable_the_image_copies()
    {
        var final = FinalStage();
        var workdir = final.Last(i => i.StartsWith("WORKDIR ", StringComparison.Ordinal))["WORKDIR ".Length..];
        Named("ENTRYPOINT").Single().Should().Be($"ENTRYPOINT [\"{workdir}/BatchJob\"]", "no dotnet host: the binary runs itself");
        final.Should().Contain(i => i.StartsWith("COPY --from=build /out/BatchJob ", StringComparison.Ordinal) && i.EndsWith(" ./", StringComparison.Ordinal));
    }

    [Fact]
    public void The_normal_build_runs_the_AOT_analyzers_with_warnings_as_errors_and_stays_JIT()
    {
        // The project as MSBuild evaluates it (Directory.Build.props included), not its text.
        var properties = Evaluate("EnableTrimAnalyzer", "EnableAotAnalyzer", "EnableSingleFileAnalyzer", "TreatWarningsAsErrors", "PublishAot");

        properties["EnableTrimAnalyzer"].Should().Be("true");
        properties["EnableAotAnalyzer"].Should().Be("true");
        properties["EnableSingleFileAnalyzer"].Should().Be("true");
        properties["TreatWarningsAsErrors"].Should().Be("true", "an analyzer warning must fail dotnet build");
        properties["PublishAot"].Should().BeEmpty("dotnet run, dotnet test and a plain publish stay JIT and need no native toolchain");
    }

    private static Dictionary<string, string> Evaluate(params string[] names)
    {
        var info = new ProcessStartInfo("dotnet", ["msbuild", Repo.File("app", "BatchJob.csproj"), "-nologo", .. names.Select(n => "-getProperty:" + n)])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var testHostSetting in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath" })
        {
            info.Environment.Remove(testHostSetting);
        }

        using var process = Process.Start(info)!;
        var json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, json);
        return JsonNode.Parse(json)!["Properties"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);
    }

    [GeneratedRegex(@"mcr\.microsoft\.com/dotnet/[a-z-]+:[0-9][0-9a-z.-]*[0-9a-z]")]
    private static partial Regex BaseImage();

    [GeneratedRegex(@"\benv\b|secret", RegexOptions.IgnoreCase)]
    private static partial Regex EnvFile();

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")]
    private static partial Regex Needed();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
