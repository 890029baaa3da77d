using BatchJob.Tests.Otlp.Proto.Collector.Logs;
using Grpc.Core;

namespace BatchJob.Tests.Otlp;

/// <summary>OTLP/gRPC <c>LogsService/Export</c>, handing each request to the receiver.</summary>
internal sealed class LogsReceiverService(OtlpReceiver receiver) : LogsService.LogsServiceBase
{
    public override async Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!await receiver.AdmitAsync(OtlpReceiver.LogsSignal, context.RequestHeaders.Where(h => !h.IsBinary).Select(h => new KeyValuePair<string, string>(h.Key, h.Value)), context.CancellationToken))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "receiver refusing (test)"));
        }

        receiver.Accept(request);
        return new ExportLogsServiceResponse();
    }
}
