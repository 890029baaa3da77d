namespace BatchJob.Configuration;

/// <summary>All configuration problems found at start, reported together so one edit fixes them all.</summary>
internal sealed class ConfigurationException : Exception
{
    public ConfigurationException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors)) => Errors = errors;

    public ConfigurationException(string message)
        : this([message])
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Errors = [message];

    public IReadOnlyList<string> Errors { get; }
}
