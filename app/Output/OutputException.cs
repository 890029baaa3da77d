namespace BatchJob.Output;

/// <summary>The predictions file could not be written or published (a full disk, a folder gone): exit 2, like unwritable output found at start.</summary>
internal sealed class OutputException : Exception
{
    public OutputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
