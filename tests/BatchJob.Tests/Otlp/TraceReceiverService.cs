using BatchJob.Tests.Otlp.Proto.Collector.Trace;
using Grpc.Core;

namespace BatchJob.Tests.Otlp;

/// <summary>OTLP/gRPC <c>TraceService/Export</c>, handing each request to the receiver.</summary>
internal sealed class TraceReceiverService(OtlpReceiver receiver) : TraceService.TraceServiceBase
{
    public override async Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!await receiver.AdmitAsync(OtlpReceiver.TracesSignal, context.RequestHeaders.Where(h => !h.IsBinary).Select(h => new KeyValuePair<string, string>(h.Key, h.Value)), context.CancellationToken))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "receiver refusing (test)"));
        }

        receiver.Accept(request);
        return new ExportTraceServiceResponse();
    }
}
