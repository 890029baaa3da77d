using BatchJob.Tests.Otlp.Proto.Collector.Metrics;
using Grpc.Core;

namespace BatchJob.Tests.Otlp;

/// <summary>OTLP/gRPC <c>MetricsService/Export</c>, handing each request to the receiver.</summary>
internal sealed class MetricsReceiverService(OtlpReceiver receiver) : MetricsService.MetricsServiceBase
{
    public override async Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!await receiver.AdmitAsync(OtlpReceiver.MetricsSignal, context.RequestHeaders.Where(h => !h.IsBinary).Select(h => new KeyValuePair<string, string>(h.Key, h.Value)), context.CancellationToken))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "receiver refusing (test)"));
        }

        receiver.Accept(request);
        return new ExportMetricsServiceResponse();
    }
}
