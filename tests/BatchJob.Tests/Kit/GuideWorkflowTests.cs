using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using BatchJob.Configuration;
using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>
/// What a student does between the steps holds: re-running a Job, reading the summary, where each
/// expected output came from, the schedule the cost is priced at, the CronJob's Job names, the keys
/// that are not settings, and the architecture drawing.
/// </summary>
public sealed partial class GuideWorkflowTests
{
    /// <summary>The three provenance labels every expected output carries (setup.md's opening explains them).</summary>
    private static readonly string[] Labels = ["*(real run off-cluster)*", "*(the tool's documented format)*", "*(rebuilt from the component's source)*"];

    /// <summary>
    /// The guide files this suite holds to the labels: setup.md, its troubleshooting page, and the pages setup.md links to
    /// (its Going further parts among them), whether or not they show an output today.
    /// </summary>
    private static readonly string[] LabelledFiles =
    [
        "setup.md", "docs/troubleshooting.md", "docs/production.md", "docs/observability.md", "docs/data-and-resume.md",
        "docs/otlp.md", "docs/scale-out.md", "docs/cost.md",
    ];

    [Fact]
    public void Run_it_again_comes_right_after_the_first_Job_and_every_rerun_uses_it()
    {
        var text = SetupGuide.Text;
        var box = text.IndexOf("\n#### Run it again\n", StringComparison.Ordinal);
        box.Should().BeGreaterThan(text.IndexOf("\n### Step 11:", StringComparison.Ordinal)).And.BeLessThan(text.IndexOf("\n### Step 12:", StringComparison.Ordinal));

        // Its command deletes the very Job the manifest it applies defines, and works when that Job is already gone.
        var block = SetupGuide.Blocks(text[box..]).First(b => b.Language == "bash");
        var rerun = block.Lines[0];
        var applied = Regex.Match(rerun, @"kubectl apply -f (k8s/base/\S+\.yaml)").Groups[1].Value;
        var job = Manifests.All.Single(a => "k8s/base/" + a.File == applied && Manifests.Kind(a.Document) == "Job").Document;
        rerun.Should().StartWith($"kubectl delete job {Manifests.Name(job)} -n {Manifests.Namespace} --ignore-not-found && ");

        // A re-apply alone runs nothing: the guide never says it does.
        text.Should().NotContainAny(["re-apply edited manifests", "Run it again with `kubectl apply"]);

        // `--from=cronjob/` needs the CronJob: in setup.md only after Step 14 applied it; the troubleshooting page
        // (read by fast-path students, who never apply it) sends to the box instead.
        var cronJobApplied = text.IndexOf("kubectl apply -f k8s/base/cronjob-batch.yaml", StringComparison.Ordinal);
        cronJobApplied.Should().BePositive();
        Regex.Matches(text, "--from=cronjob/").Should().OnlyContain(m => m.Index > cronJobApplied);
        var troubleshooting = Repo.Read("docs", "troubleshooting.md");
        troubleshooting.Should().Contain("(../setup.md#run-it-again)").And.NotContain("--from=cronjob");

        // Step 13's experiment re-runs the Job with it.
        var step13 = text[text.IndexOf("\n### Step 13:", StringComparison.Ordinal)..text.IndexOf("\n### Step 14:", StringComparison.Ordinal)];
        step13.Should().Contain("CPU_BURN_MS").And.Contain("](#run-it-again)");
    }

    [Fact]
    public void No_command_takes_the_summary_by_position()
    {
        // A run whose collector is late, or whose cost is over its target, ends with a WARN line: the summary
        // is the line whose message says so, wherever it is.
        var checkedLines = 0;
        foreach (var file in SetupGuide.GuideFiles.Append("README.md"))
        {
            foreach (var (_, lines) in SetupGuide.Blocks(Repo.Read(file)).Where(b => b.Language == "bash"))
            {
                foreach (var line in string.Join('\n', lines).Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
                {
                    if (!WorkerLog().IsMatch(line))
                    {
                        continue;
                    }

                    checkedLines++;
                    line.Should().NotMatchRegex(@"\|\s*tail\s+(-1|-n\s*1)\b", $"{file}: select the summary by its message");
                    if (line.Contains(".summary", StringComparison.Ordinal) || line.Contains("summary:", StringComparison.Ordinal))
                    {
                        line.Should().Contain("\"Batch job completed\"", $"{file}: a summary is read from the line that carries it");
                    }
                }
            }
        }

        checkedLines.Should().BeGreaterThan(5);
        var fastPath = SetupGuide.Blocks().First(b => b.Language == "bash");
        fastPath.Lines.Should().Contain(l => l.Contains("job/batch-inference-paid-once | grep '\"Batch job completed\"'", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_expected_output_says_where_it_came_from()
    {
        setupOpeningExplainsLabels();

        // Every page setup.md links to is held, so a page linked later cannot be left out.
        var linked = Regex.Matches(SetupGuide.Text, @"\]\((docs/[a-z-]+\.md)").Select(m => m.Groups[1].Value).Distinct().ToList();
        linked.Should().NotBeEmpty();
        LabelledFiles.Should().Contain(linked, "setup.md links to them");

        var labelled = 0;
        foreach (var file in LabelledFiles)
        {
            var lines = Repo.Read(file).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                // An expected-output paragraph runs until its block opens.
                if (!lines[i].Contains("**Expected output**", StringComparison.Ordinal))
                {
                    continue;
                }

                var paragraph = string.Join(' ', lines[i..].TakeWhile(l => !l.StartsWith("```", StringComparison.Ordinal)));
                paragraph.Should().ContainAny(Labels, $"{file}:{i + 1} says where its expected output came from");
                labelled++;
            }
        }

        labelled.Should().BeGreaterThanOrEqualTo(20);

        // Every output block that follows a bash block has a label between them.
        foreach (var file in LabelledFiles)
        {
            foreach (Match output in OutputAfterCommand().Matches(Repo.Read(file)))
            {
                output.Groups["between"].Value.Should().ContainAny(Labels.Append("**Expected:**").Append("**What to look for**"), $"the output at {file} offset {output.Index} is labelled");
            }
        }

        static void setupOpeningExplainsLabels()
        {
            var opening = Regex.Replace(SetupGuide.Text[..SetupGuide.Text.IndexOf("## Contents", StringComparison.Ordinal)], @"\s+", " ");
            opening.Should().ContainAll(Labels).And.Contain("no cluster could be run where this guide was written");
            var verified = SetupGuide.Text[SetupGuide.Text.IndexOf("## How this guide was verified", StringComparison.Ordinal)..];
            verified.Should().ContainAll(Labels);
        }
    }

    [Fact]
    public void The_cost_of_a_month_is_priced_at_the_CronJobs_schedule()
    {
        var schedule = (string)Manifests.Find("CronJob", Manifests.CronJobName)["spec"]!["schedule"]!;
        var every = int.Parse(Regex.Match(schedule, @"^\*/(\d+) \* \* \* \*$").Groups[1].Value, CultureInfo.InvariantCulture);
        var runsPerMonth = 30 * 24 * 60 / every;

        var text = SetupGuide.Text;
        var section = text[text.IndexOf("### From one record to a month of runs", StringComparison.Ordinal)..text.IndexOf("\n## Troubleshooting", StringComparison.Ordinal)];
        var priced = MonthlyCost().Match(section);
        priced.Success.Should().BeTrue("Cost analysis prices a month of the CronJob's runs");
        int.Parse(priced.Groups["every"].Value, CultureInfo.InvariantCulture).Should().Be(every, "the schedule in cronjob-batch.yaml");
        int.Parse(priced.Groups["runs"].Value.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture).Should().Be(runsPerMonth);
        var minutes = double.Parse(priced.Groups["minutes"].Value, CultureInfo.InvariantCulture);
        var podHours = runsPerMonth * minutes / 60;
        double.Parse(priced.Groups["hours"].Value, CultureInfo.InvariantCulture).Should().Be(podHours);
        var usdPerPodHour = (0.5 * 0.04) + (0.5 * 0.005);
        double.Parse(priced.Groups["usd"].Value, CultureInfo.InvariantCulture).Should().BeApproximately(podHours * usdPerPodHour, 0.005);
    }

    [Fact]
    public void CronJob_job_names_decode_to_a_scheduled_minute_of_the_guides_runs()
    {
        // A CronJob names each Job <cronjob>-<scheduled time in minutes since 1970>.
        var runs = SetupGuide.Blocks().Where(b => b.Language == "json").SelectMany(b => b.Lines).Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("timestamp").GetDateTimeOffset()).ToList();
        runs.Should().NotBeEmpty();
        var schedule = (string)Manifests.Find("CronJob", Manifests.CronJobName)["spec"]!["schedule"]!;
        var every = int.Parse(Regex.Match(schedule, @"^\*/(\d+) ").Groups[1].Value, CultureInfo.InvariantCulture);

        var names = Regex.Matches(SetupGuide.Text, Regex.Escape(Manifests.CronJobName) + @"-(\d+)\b").Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().ToList();
        names.Should().NotBeEmpty();
        foreach (var minutes in names)
        {
            var scheduled = DateTimeOffset.UnixEpoch.AddMinutes(minutes);
            (scheduled.Minute % every).Should().Be(0, $"{minutes} is a time the schedule {schedule} fires");
            scheduled.Should().BeOnOrAfter(runs.Min()).And.BeCloseTo(runs.Max(), TimeSpan.FromHours(1), $"{minutes} ({scheduled:u}) is a run of the same session as the guide's other outputs");
            SetupGuide.Text.Should().Contain($"{minutes} is {scheduled:yyyy-MM-dd HH:mm} UTC");
        }
    }

    [Fact]
    public void The_keys_that_are_not_in_env_example_are_named_where_the_guide_says_every_setting_is()
    {
        var keys = typeof(ConfigKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var notSettings = keys.Except(ConfigKeys.Configurable).ToList();
        notSettings.Should().NotBeEmpty();

        var text = SetupGuide.Text;
        var step2 = text[text.IndexOf("### Step 2:", StringComparison.Ordinal)..text.IndexOf("### Step 3:", StringComparison.Ordinal)];
        step2.Should().Contain("Every setting the worker reads is in `.env.example`");
        foreach (var key in notSettings)
        {
            step2.Should().Contain($"`{key}`", "Step 2 names what .env.example leaves out");
        }
    }

    [Fact]
    public void The_architecture_drawing_stays_inside_its_box()
    {
        var drawing = SetupGuide.Blocks().Single(b => b.Lines.Any(l => l.Contains('┌', StringComparison.Ordinal))).Lines;
        var top = drawing.Single(l => l.Contains('┌', StringComparison.Ordinal));
        foreach (var line in drawing.SkipWhile(l => l != top))
        {
            line.Length.Should().Be(top.Length, $"'{line.Trim()}' ends on the box's right edge");
            line[^1].Should().BeOneOf('┐', '│', '┘');
        }
    }

    [Fact]
    public void The_README_says_where_its_two_commands_run()
    {
        var readme = Repo.Read("README.md");
        readme.Should().NotContain("works from any folder", "--project app is a path relative to the repository's root");
        SetupGuide.Text.Should().NotContain("lists every file");
    }

    // A command line that reads the worker's log: kubectl logs of a batch Job, a local run, or a saved shard log.
    [GeneratedRegex(@"kubectl logs .*job|dotnet run|shard-\S*\.log")]
    private static partial Regex WorkerLog();

    // An output fence right after a bash block, and what stands between them.
    [GeneratedRegex("```bash\\n(?:(?!```)[^\\n]*\\n)*```\\n(?<between>(?:(?!```)[^\\n]*\\n){1,6})```(?:json)?\\n")]
    private static partial Regex OutputAfterCommand();

    // "every 10 minutes, 4,320 runs a month, so a 2-minute run each time is 144 pod-hours, **3.24 USD a month**"
    [GeneratedRegex(@"every (?<every>\d+) minutes, (?<runs>[\d,]+) runs a month, so a\s+(?<minutes>\d+)-minute run each time is (?<hours>[\d.]+) pod-hours, \*\*(?<usd>[\d.]+) USD a month\*\*")]
    private static partial Regex MonthlyCost();
}
