using System.Net.Sockets;

namespace BatchJob.Telemetry;

/// <summary>
/// Whether anything listens at the collector's endpoint, told by a TCP connect to its host and
/// port: a connection accepted, or refused (ECONNREFUSED: nothing listens there; in a cluster,
/// also a Service with no ready collector behind it). Why a probe and not the exporters' own
/// results: the OTLP exporters return only Failure, the same for a refused connection, a collector
/// answering UNAVAILABLE and an export that timed out; their reasons go to an EventSource, which
/// native AOT leaves out. A connect is cheap (a refused one on this machine takes microseconds) and
/// is run only after an export failed, and once at the flush while no export has succeeded.
/// Accepted once stays accepted; a probe that could not tell (name not resolved, no answer within
/// the timeout) means the run can no longer claim that every attempt was refused.
/// </summary>
internal sealed class CollectorProbe
{
    private const int NotProbed = 0;
    private const int Refused = 1;
    private const int Inconclusive = 2;
    private const int Accepted = 3;

    private readonly string _host;
    private readonly int _port;
    private readonly int _timeoutMs;
    private int _outcome;

    /// <param name="endpoint">OTEL_EXPORTER_OTLP_ENDPOINT; its port, or the scheme's default.</param>
    /// <param name="timeoutMs">How long one probe may take, name lookup included; longer is "cannot tell".</param>
    public CollectorProbe(Uri endpoint, int timeoutMs)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _host = endpoint.IdnHost;
        _port = endpoint.Port;
        _timeoutMs = timeoutMs;
    }

    /// <summary>true: a probe connected; false: every probe so far was refused; null: none yet, or one could not tell.</summary>
    public bool? Reachable => Volatile.Read(ref _outcome) switch
    {
        Accepted => true,
        Refused => false,
        _ => null,
    };

    /// <summary>Connects once, unless a probe already connected or could not tell (neither can become "all refused" again).</summary>
    public void Probe()
    {
        if (Volatile.Read(ref _outcome) < Inconclusive)
        {
            Record(Connect());
        }
    }

    private int Connect()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(_timeoutMs);
        try
        {
            socket.ConnectAsync(_host, _port, timeout.Token).AsTask().GetAwaiter().GetResult();
            return Accepted;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return Refused;
        }
#pragma warning disable CA1031 // Any other failure (no such name, unreachable, timed out) only means: cannot tell.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Inconclusive;
        }
    }

    // The strongest outcome wins: accepted over cannot-tell over refused; probes may race.
    private void Record(int outcome)
    {
        var seen = Volatile.Read(ref _outcome);
        while (outcome > seen)
        {
            var previous = Interlocked.CompareExchange(ref _outcome, outcome, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
