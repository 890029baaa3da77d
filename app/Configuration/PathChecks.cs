namespace BatchJob.Configuration;

/// <summary>The file system checks reading options needs, given by whoever knows the outputs (the composition root).</summary>
internal sealed record PathChecks(OutputPathCheck Output, InputPathCheck Input);
