using System.Runtime.InteropServices;

namespace BatchJob.Logging;

/// <summary>
/// A write-only stream straight onto a file descriptor (stdout) with <c>write(2)</c>, so every
/// failure reaches the caller as an <see cref="IOException"/>. .NET's console stream pretends a
/// write to a closed pipe (EPIPE, <c>| head -1</c>) succeeded, so the run went on processing the
/// whole input into the void; a FileStream would write at its own offset (<c>pwrite</c>) and
/// overwrite what others write to a shared <c>&gt; file</c>. <c>write</c> does neither. A
/// descriptor the parent left non-blocking is waited on rather than failed.
/// </summary>
internal sealed partial class DescriptorStream(int descriptor) : Stream
{
    private const int Interrupted = 4; // EINTR
    private const int WouldBlock = 11; // EAGAIN

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <exception cref="IOException">The system refused the write (EPIPE, EBADF, ENOSPC ...).</exception>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var written = SystemWrite(descriptor, buffer, (nuint)buffer.Length);
            if (written >= 0)
            {
                buffer = buffer[(int)written..];
                continue;
            }

            var error = Marshal.GetLastPInvokeError();
            switch (error)
            {
                case Interrupted:
                    continue;
                case WouldBlock:
                    Thread.Sleep(1);
                    continue;
                default:
                    throw new IOException($"{Marshal.GetPInvokeErrorMessage(error)} (writing to file descriptor {descriptor})", error);
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Nothing is buffered here: every write goes to the system at once.</summary>
    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint SystemWrite(int descriptor, ReadOnlySpan<byte> buffer, nuint count);
}
