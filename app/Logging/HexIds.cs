using System.Diagnostics;

namespace BatchJob.Logging;

/// <summary>Trace and span ids as lowercase UTF-8 hex, into a caller's buffer (no string per line).</summary>
internal static class HexIds
{
    public static ReadOnlySpan<byte> Format(ActivityTraceId id, Span<byte> destination)
    {
        Span<byte> raw = stackalloc byte[16];
        id.CopyTo(raw);
        return ToHex(raw, destination);
    }

    public static ReadOnlySpan<byte> Format(ActivitySpanId id, Span<byte> destination)
    {
        Span<byte> raw = stackalloc byte[8];
        id.CopyTo(raw);
        return ToHex(raw, destination);
    }

    private static ReadOnlySpan<byte> ToHex(scoped ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        ReadOnlySpan<byte> digits = "0123456789abcdef"u8;
        for (var i = 0; i < raw.Length; i++)
        {
            destination[2 * i] = digits[raw[i] >> 4];
            destination[(2 * i) + 1] = digits[raw[i] & 0xF];
        }

        return destination[..(2 * raw.Length)];
    }
}
