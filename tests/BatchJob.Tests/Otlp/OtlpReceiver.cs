using System.Collections.Concurrent;
using System.Net;
using BatchJob.Tests.Otlp.Proto.Collector.Logs;
using BatchJob.Tests.Otlp.Proto.Collector.Metrics;
using BatchJob.Tests.Otlp.Proto.Collector.Trace;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchJob.Tests.Otlp;

/// <summary>
/// A real OTLP receiver on 127.0.0.1 for the end-to-end tests: OTLP/gRPC on one random port
/// (HTTP/2 cleartext, as a collector's 4317) and OTLP/HTTP protobuf on another (POST
/// <c>/v1/traces</c>, <c>/v1/metrics</c> and <c>/v1/logs</c>, as 4318). It decodes and keeps what arrives, and can
/// misbehave on purpose: refuse the first requests of each signal (gRPC UNAVAILABLE / HTTP 503),
/// answer late, hold trace exports until metrics arrive, or be stopped.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    internal const string TracesSignal = "traces";
    internal const string MetricsSignal = "metrics";
    internal const string LogsSignal = "logs";

    private readonly WebApplication _app;
    private readonly ListenOptions _grpcListen;
    private readonly ListenOptions _httpListen;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly ConcurrentQueue<ReceivedMetric> _metrics = new();
    private readonly ConcurrentQueue<ReceivedLog> _logs = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _headers = new();
    private readonly TaskCompletionSource _metricsArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _refused;
    private int _stopped;

    private OtlpReceiver(int grpcPort, int httpPort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? grpc = null;
        ListenOptions? http = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, grpcPort, options =>
            {
                options.Protocols = HttpProtocols.Http2;
                grpc = options;
            });
            kestrel.Listen(IPAddress.Loopback, httpPort, options =>
            {
                options.Protocols = HttpProtocols.Http1;
                http = options;
            });
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(this);
        _app = builder.Build();
        _app.MapGrpcService<TraceReceiverService>();
        _app.MapGrpcService<MetricsReceiverService>();
        _app.MapGrpcService<LogsReceiverService>();
        _app.MapPost("/v1/traces", (RequestDelegate)(context => HandleHttpAsync(context, TracesSignal, ExportTraceServiceRequest.Parser, Accept, new ExportTraceServiceResponse())));
        _app.MapPost("/v1/metrics", (RequestDelegate)(context => HandleHttpAsync(context, MetricsSignal, ExportMetricsServiceRequest.Parser, Accept, new ExportMetricsServiceResponse())));
        _app.MapPost("/v1/logs", (RequestDelegate)(context => HandleHttpAsync(context, LogsSignal, ExportLogsServiceRequest.Parser, Accept, new ExportLogsServiceResponse())));
        _grpcListen = grpc!;
        _httpListen = http!;
    }

    /// <summary>Requests of each signal to refuse before accepting (UNAVAILABLE / 503). Set before the run.</summary>
    public int RefuseFirst { get; set; }

    /// <summary>How long to wait before answering each request (a slow collector).</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>
    /// Holds every trace export until the first metric export arrives. The worker exports metrics
    /// only at exit (unless OTEL_METRIC_EXPORT_INTERVAL passes first), after its last span: until
    /// then its span exporter is stuck, so a small span queue fills for certain, however fast the
    /// machine. At most a minute, to catch a hang (the held export then fails).
    /// </summary>
    public bool HoldTracesUntilMetrics { get; set; }

    /// <summary>The OTLP/gRPC endpoint, e.g. http://127.0.0.1:41234.</summary>
    public Uri GrpcEndpoint => new($"http://127.0.0.1:{_grpcListen.IPEndPoint!.Port}");

    /// <summary>The OTLP/HTTP base endpoint (the exporter appends /v1/traces and /v1/metrics).</summary>
    public Uri HttpEndpoint => new($"http://127.0.0.1:{_httpListen.IPEndPoint!.Port}");

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public IReadOnlyList<ReceivedMetric> Metrics => [.. _metrics];

    public IReadOnlyList<ReceivedLog> Logs => [.. _logs];

    /// <summary>The request headers (metadata) of every export request, names in lowercase.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> RequestHeaders => [.. _headers];

    /// <summary>Requests refused on purpose, all signals.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public int TraceRequests => _attempts.GetValueOrDefault(TracesSignal);

    public int MetricRequests => _attempts.GetValueOrDefault(MetricsSignal);

    public int LogRequests => _attempts.GetValueOrDefault(LogsSignal);

    /// <param name="grpcPort">The OTLP/gRPC port; 0 for any free one.</param>
    /// <param name="httpPort">The OTLP/HTTP port; 0 for any free one.</param>
    public static async Task<OtlpReceiver> StartAsync(int grpcPort = 0, int httpPort = 0)
    {
        var receiver = new OtlpReceiver(grpcPort, httpPort);
        await receiver._app.StartAsync();
        return receiver;
    }

    /// <summary>The endpoint for an OTEL_EXPORTER_OTLP_PROTOCOL value (grpc or http/protobuf).</summary>
    public Uri EndpointFor(string protocol) => protocol switch
    {
        "grpc" => GrpcEndpoint,
        "http/protobuf" => HttpEndpoint,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "grpc or http/protobuf"),
    };

    /// <summary>Stops listening: the ports refuse connections from now on, as a collector that is down.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _app.StopAsync(bound.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Counts the attempt, waits <see cref="ResponseDelay"/>, and says whether to accept it.</summary>
    internal async Task<bool> AdmitAsync(string signal, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken aborted)
    {
        _headers.Enqueue(headers.GroupBy(h => h.Key.ToLowerInvariant()).ToDictionary(g => g.Key, g => string.Join(",", g.Select(h => h.Value)), StringComparer.Ordinal));
        var attempt = _attempts.AddOrUpdate(signal, 1, (_, n) => n + 1);
        if (signal == MetricsSignal)
        {
            _metricsArrived.TrySetResult();
        }
        else if (HoldTracesUntilMetrics)
        {
            await _metricsArrived.Task.WaitAsync(TimeSpan.FromMinutes(1), aborted);
        }

        if (ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(ResponseDelay, aborted);
        }

        if (attempt <= RefuseFirst)
        {
            Interlocked.Increment(ref _refused);
            return false;
        }

        return true;
    }

    internal void Accept(ExportTraceServiceRequest request)
    {
        foreach (var span in OtlpDecoding.Spans(request))
        {
            _spans.Enqueue(span);
        }
    }

    internal void Accept(ExportMetricsServiceRequest request)
    {
        foreach (var metric in OtlpDecoding.Metrics(request))
        {
            _metrics.Enqueue(metric);
        }
    }

    internal void Accept(ExportLogsServiceRequest request)
    {
        foreach (var log in OtlpDecoding.Logs(request))
        {
            _logs.Enqueue(log);
        }
    }

    private async Task HandleHttpAsync<TRequest>(HttpContext context, string signal, MessageParser<TRequest> parser, Action<TRequest> accept, IMessage response)
        where TRequest : IMessage<TRequest>
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString()));
        if (!await AdmitAsync(signal, headers, context.RequestAborted))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        accept(parser.ParseFrom(body.ToArray()));
        context.Response.ContentType = "application/x-protobuf";
        await context.Response.Body.WriteAsync(response.ToByteArray(), context.RequestAborted);
    }
}
