using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace BatchJob.Configuration;

/// <summary>
/// Turns raw configuration into <see cref="BatchOptions"/>, checking every key and collecting
/// every problem, so a bad value stops the run before the first record with a message that
/// names the key, the value and what is allowed.
/// </summary>
internal sealed class OptionsReader
{
    /// <summary>The sample that ships next to the binary; the default input.</summary>
    public const string BundledInput = "data/input.jsonl";

    private const string ServiceNameAttribute = "service.name";

    private readonly IConfiguration _config;
    private readonly PathChecks _checks;
    private readonly List<string> _errors = [];

    private OptionsReader(IConfiguration config, PathChecks checks)
    {
        _config = config;
        _checks = checks;
    }

    /// <summary>Reads and validates all options; throws <see cref="ConfigurationException"/> listing every problem.</summary>
    /// <param name="workingDirectory">Relative INPUT_PATH and OUTPUT_PATH are resolved against it.</param>
    /// <param name="checks">Whether the output paths can be published to and the input is not written by the worker; their problems are listed with the others.</param>
    public static BatchOptions Read(IConfiguration config, string workingDirectory, PathChecks checks)
    {
        var reader = new OptionsReader(config, checks);
        var options = reader.ReadAll(workingDirectory);
        return reader._errors.Count == 0 ? options : throw new ConfigurationException(reader._errors);
    }

    private BatchOptions ReadAll(string workingDirectory)
    {
        var appEnv = Text(ConfigKeys.AppEnv);
        if (appEnv.Length == 0)
        {
            Fail(ConfigKeys.AppEnv, appEnv, "a non-empty environment name, e.g. local, dev, prod");
        }

        var shard = ReadShard();
        var inputPath = ReadInputPath(workingDirectory);
        var outputPath = ReadOutputPath(ConfigKeys.OutputPath, workingDirectory, shard, inputPath);
        var rejectsPath = ReadOutputPath(ConfigKeys.RejectsPath, workingDirectory, shard, inputPath);
        if (outputPath is not null && outputPath == rejectsPath)
        {
            Fail(ConfigKeys.RejectsPath, Text(ConfigKeys.RejectsPath), "a different file from OUTPUT_PATH");
        }

        var resume = Bool(ConfigKeys.Resume);
        if (resume && outputPath is null)
        {
            Fail(ConfigKeys.Resume, Text(ConfigKeys.Resume), "false when OUTPUT_PATH is empty: the checkpoint and the partial predictions are kept beside OUTPUT_PATH");
        }

        return new BatchOptions(
            appEnv,
            inputPath,
            outputPath,
            rejectsPath,
            BatchSize: Int(ConfigKeys.BatchSize, min: 1, max: 10_000_000),
            CpuBurnMs: Double(ConfigKeys.CpuBurnMs, min: 0, max: 60_000),
            MaxLineBytes: Int(ConfigKeys.MaxLineBytes, min: 64, max: 64 * 1024 * 1024),
            MaxFailedRatio: Double(ConfigKeys.MaxFailedRatio, min: 0, max: 1),
            LogFormat: Choice(ConfigKeys.LogFormat, new Dictionary<string, LogFormat> { ["lab"] = LogFormat.Lab, ["clef"] = LogFormat.Clef }),
            LogRecords: Bool(ConfigKeys.LogRecords),
            ProgressIntervalSeconds: Double(ConfigKeys.ProgressIntervalSeconds, min: 0.1, max: 86_400),
            shard,
            resume,
            CheckpointIntervalSeconds: Double(ConfigKeys.CheckpointIntervalSeconds, min: 0, max: 86_400),
            ReadCost(),
            ReadTelemetry());
    }

    private string ReadInputPath(string workingDirectory)
    {
        var input = Text(ConfigKeys.InputPath);
        var bundled = Path.Combine(AppContext.BaseDirectory, BundledInput);
        var path = input.Length == 0 ? bundled : Path.GetFullPath(input, workingDirectory);
        // The manifests' rule: the student's file on the data volume when it is there, else the sample in the image.
        if (Bool(ConfigKeys.InputFallback) && !File.Exists(path))
        {
            path = bundled;
        }

        if (!File.Exists(path))
        {
            Fail(ConfigKeys.InputPath, input.Length == 0 ? path : input, "an existing, readable JSON Lines file (empty means the bundled sample)");
        }
        else if (_checks.Input(path) is { } expected)
        {
            Fail(ConfigKeys.InputPath, input, expected);
        }

        return path;
    }

    /// <summary>
    /// OUTPUT_PATH or REJECTS_PATH for this process: each shard of an Indexed Job gets its own file
    /// ({shard} becomes the index), and that file, not the template, is checked, so a path the
    /// worker could not publish to stops the run before any record.
    /// </summary>
    private string? ReadOutputPath(string key, string workingDirectory, ShardOptions shard, string inputPath)
    {
        var output = Text(key);
        if (output.Length == 0)
        {
            return null;
        }

        var template = Path.GetFullPath(output, workingDirectory);
        var path = shard.OutputPathFor(template);
        if (_checks.Output(path, ShardOptions.SharedFolder(template), inputPath) is { } expected)
        {
            Fail(key, output, expected);
        }

        return path;
    }

    private CostOptions ReadCost()
    {
        var cpuRequest = CpuQuantity(ConfigKeys.CpuRequest);
        var cpuLimit = CpuQuantity(ConfigKeys.CpuLimit);
        var memoryRequest = MemoryQuantity(ConfigKeys.MemoryRequest);
        var memoryLimit = MemoryQuantity(ConfigKeys.MemoryLimit);
        if (cpuRequest > cpuLimit && cpuLimit > 0)
        {
            Fail(ConfigKeys.CpuRequest, Text(ConfigKeys.CpuRequest), $"at most CPU_LIMIT ({Text(ConfigKeys.CpuLimit)}), as Kubernetes requires");
        }

        var costTracking = Bool(ConfigKeys.EnableCostTracking);
        var budget = ReadBudget();
        if (budget is not null && !costTracking)
        {
            Fail(ConfigKeys.CostBudget, Text(ConfigKeys.CostBudget), "empty while ENABLE_COST_TRACKING=false: a budget needs the cost it is judged by");
        }

        if (memoryRequest > memoryLimit && memoryLimit > 0)
        {
            Fail(ConfigKeys.MemoryRequest, Text(ConfigKeys.MemoryRequest), $"at most MEMORY_LIMIT ({Text(ConfigKeys.MemoryLimit)}), as Kubernetes requires");
        }

        return new CostOptions(
            Enabled: costTracking,
            CpuPerHour: Price(ConfigKeys.CostPerCpuHour),
            MemoryGbPerHour: Price(ConfigKeys.CostPerMemoryGbHour),
            TargetPerRecord: Price(ConfigKeys.CostPerRecordTarget),
            cpuRequest,
            cpuLimit,
            memoryRequest,
            memoryLimit,
            budget);
    }

    /// <summary>COST_BUDGET_USD: unset or empty for none; otherwise a positive amount.</summary>
    private decimal? ReadBudget()
    {
        var text = Text(ConfigKeys.CostBudget);
        if (text.Length == 0)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var budget) && budget > 0)
        {
            return budget;
        }

        Fail(ConfigKeys.CostBudget, text, "a positive amount in US dollars, e.g. 0.00001, or empty for no budget");
        return null;
    }

    private TelemetryOptions ReadTelemetry()
    {
        var endpointText = Text(ConfigKeys.OtlpEndpoint);
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            Fail(ConfigKeys.OtlpEndpoint, SecretMask.Url(endpointText), "an absolute http:// or https:// URL, e.g. http://otel-collector-paid:4317");
            endpoint = new Uri("http://localhost:4317");
        }

        // Untrimmed, as the SDK reads it; never quoted, as headers carry API keys.
        if (OtlpHeaders.Problem(_config[ConfigKeys.OtlpHeaders] ?? string.Empty) is { } headers)
        {
            _errors.Add($"{ConfigKeys.OtlpHeaders} (value not shown: it may hold secrets) is not valid: {headers}; expected comma-separated key=value pairs, e.g. x-api-key=abc123,x-tenant=ml (values percent-encoded).");
        }

        var resourceAttributes = ReadResourceAttributes();
        var serviceName = ReadServiceName(resourceAttributes);
        if (serviceName.Length == 0)
        {
            Fail(ConfigKeys.ServiceName, serviceName, "a non-empty service name, e.g. batch-inference-service");
        }

        var exporters = new Dictionary<string, bool> { ["otlp"] = true, ["none"] = false };
        var retry = new Dictionary<string, bool> { ["in_memory"] = true, ["disabled"] = false };
        return new TelemetryOptions(
            Enabled: Bool(ConfigKeys.EnableTelemetry),
            serviceName,
            endpoint,
            Choice(ConfigKeys.OtlpProtocol, new Dictionary<string, OtlpExportProtocol> { ["grpc"] = OtlpExportProtocol.Grpc, ["http/protobuf"] = OtlpExportProtocol.HttpProtobuf }),
            ExportTraces: Choice(ConfigKeys.TracesExporter, exporters),
            ExportMetrics: Choice(ConfigKeys.MetricsExporter, exporters),
            ExportLogs: Choice(ConfigKeys.LogsExporter, exporters),
            ExportTimeoutMs: Int(ConfigKeys.OtlpTimeout, min: 100, max: 600_000),
            RetryOnFailure: Choice(ConfigKeys.OtlpRetry, retry),
            FlushTimeoutMs: Int(ConfigKeys.FlushTimeout, min: 100, max: 600_000),
            MaxQueueSize: Int(ConfigKeys.BspMaxQueueSize, min: 1, max: 10_000_000),
            MetricExportIntervalMs: Int(ConfigKeys.MetricExportInterval, min: 100, max: 86_400_000),
            ExemplarFilter: Choice(ConfigKeys.ExemplarFilter, new Dictionary<string, ExemplarFilterType>
            {
                ["trace_based"] = ExemplarFilterType.TraceBased, ["always_on"] = ExemplarFilterType.AlwaysOn, ["always_off"] = ExemplarFilterType.AlwaysOff,
            }),
            ReadSampler(),
            resourceAttributes,
            ReadRemoteParent(),
            W3CBaggage.Parse(_config[ConfigKeys.Baggage]));
    }

    /// <summary>TRACEPARENT (+ TRACESTATE) from whatever launched the run, parsed once; default when absent.</summary>
    private ActivityContext ReadRemoteParent()
    {
        var traceParent = Text(ConfigKeys.TraceParent);
        if (traceParent.Length == 0)
        {
            return default;
        }

        var traceState = Text(ConfigKeys.TraceState);
        if (ActivityContext.TryParse(traceParent, traceState.Length == 0 ? null : traceState, isRemote: true, out var parent))
        {
            return parent;
        }

        Fail(ConfigKeys.TraceParent, traceParent, "a W3C traceparent, e.g. 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        return default;
    }

    /// <summary>
    /// The service name in the specification's order: OTEL_SERVICE_NAME when given (.env,
    /// environment, command line), else <c>service.name</c> from OTEL_RESOURCE_ATTRIBUTES, else the
    /// default in appsettings.json. <c>service.name</c> leaves the attributes, which are added to
    /// the resource after the name and would otherwise replace it.
    /// </summary>
    private string ReadServiceName(List<KeyValuePair<string, object>> resourceAttributes)
    {
        var fromAttributes = resourceAttributes.LastOrDefault(a => a.Key == ServiceNameAttribute).Value as string;
        resourceAttributes.RemoveAll(a => a.Key == ServiceNameAttribute);
        return fromAttributes is { Length: > 0 } && !IsGivenAboveDefaults(ConfigKeys.ServiceName) ? fromAttributes : Text(ConfigKeys.ServiceName);
    }

    /// <summary>Whether a source above appsettings.json (the shipped defaults) sets <paramref name="key"/>.</summary>
    private bool IsGivenAboveDefaults(string key) =>
        _config is not IConfigurationRoot root
        || root.Providers.Any(provider => provider is not Microsoft.Extensions.Configuration.Json.JsonConfigurationProvider && provider.TryGet(key, out _));

    /// <summary>OTEL_RESOURCE_ATTRIBUTES: <c>key1=value1,key2=value2</c>, values percent-decoded as the spec says.</summary>
    private List<KeyValuePair<string, object>> ReadResourceAttributes()
    {
        var text = Text(ConfigKeys.ResourceAttributes);
        var attributes = new List<KeyValuePair<string, object>>();
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                Fail(ConfigKeys.ResourceAttributes, text, "comma-separated key=value pairs, e.g. team=ml,deployment.environment.name=lab");
                break;
            }

            attributes.Add(new(pair[..equals].Trim(), Uri.UnescapeDataString(pair[(equals + 1)..].Trim())));
        }

        return attributes;
    }

    private ShardOptions ReadShard()
    {
        var count = Int(ConfigKeys.ShardCount, min: 1, max: 100_000);
        var indexText = Text(ConfigKeys.JobCompletionIndex);
        if (indexText.Length == 0)
        {
            if (count > 1)
            {
                // Without an index every pod would process every record: refuse rather than duplicate.
                Fail(ConfigKeys.JobCompletionIndex, indexText, $"this shard's index from 0 to {count - 1}, set by Kubernetes in an Indexed Job (SHARD_COUNT is {count})");
            }

            return ShardOptions.Unsharded;
        }

        if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= count)
        {
            Fail(ConfigKeys.JobCompletionIndex, indexText, $"a whole number from 0 to {count - 1}; set SHARD_COUNT to the Job's completions (SHARD_COUNT is {count})");
            return ShardOptions.Unsharded;
        }

        return new ShardOptions(index, count);
    }

    private SamplerOptions ReadSampler()
    {
        var sampler = Choice(ConfigKeys.TracesSampler, SamplerOptions.Names);
        // The specification: the argument is read only by the ratio samplers; empty means 1.0.
        var ratio = 1.0;
        var arg = Text(ConfigKeys.TracesSamplerArg);
        if (sampler.Root == SamplerRoot.TraceIdRatio && arg.Length > 0
            && !(double.TryParse(arg, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out ratio) && ratio is >= 0 and <= 1))
        {
            Fail(ConfigKeys.TracesSamplerArg, arg, "a sampling ratio from 0 to 1, e.g. 0.01 keeps one record span in a hundred");
            ratio = 1.0;
        }

        return new SamplerOptions(sampler.Root, ratio, sampler.ParentBased);
    }

    private string Text(string key) => (_config[key] ?? string.Empty).Trim();

    private void Fail(string key, string value, string allowed) =>
        _errors.Add($"{key}='{value}' is not valid: expected {allowed}.");

    private bool Bool(string key)
    {
        var text = Text(key);
        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Fail(key, text, "true or false");
        return false;
    }

    private int Int(string key, int min, int max)
    {
        var text = Text(key);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Fail(key, text, $"a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
        return min;
    }

    private double Double(string key, double min, double max)
    {
        var text = Text(key);
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Fail(key, text, $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
        return min;
    }

    private decimal Price(string key)
    {
        var text = Text(key);
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Fail(key, text, "a non-negative amount in US dollars, e.g. 0.04");
        return 0;
    }

    private decimal CpuQuantity(string key)
    {
        var text = Text(key);
        if (Quantity.TryParse(text, out var cores) && cores > 0)
        {
            return cores;
        }

        Fail(key, text, $"a positive CPU amount as {Quantity.Syntax}");
        return 0;
    }

    private decimal MemoryQuantity(string key)
    {
        const decimal OneMiB = 1024 * 1024;
        var text = Text(key);
        if (Quantity.TryParse(text, out var bytes) && bytes >= OneMiB)
        {
            return bytes;
        }

        // A bare "0.5" or "512" here is bytes, not GiB or MiB: almost always a missing suffix.
        Fail(key, text, $"at least 1Mi of memory as {Quantity.Syntax}; a bare number is bytes, so write 512Mi, not 512");
        return 0;
    }

    private T Choice<T>(string key, IReadOnlyDictionary<string, T> allowed)
    {
        var text = Text(key);
        if (allowed.TryGetValue(text.ToLowerInvariant(), out var value))
        {
            return value;
        }

        Fail(key, text, "one of " + string.Join(", ", allowed.Keys));
        return allowed.Values.First();
    }
}
