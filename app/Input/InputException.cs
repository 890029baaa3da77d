namespace BatchJob.Input;

/// <summary>The input could not be opened or read: a configuration problem (exit 2), not a bad record.</summary>
internal sealed class InputException : Exception
{
    public InputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
