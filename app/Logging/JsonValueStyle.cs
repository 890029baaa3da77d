namespace BatchJob.Logging;

/// <summary>How a layout writes values that JSON can spell more than one way.</summary>
public enum JsonValueStyle
{
    /// <summary>The lab's lines: doubles as the guides print them (6.0, not 6), non-finite as null.</summary>
    Lab,

    /// <summary>
    /// As Serilog's <c>JsonValueFormatter</c> writes them, for CLEF: doubles in shortest round-trip
    /// form (6), non-finite as strings ("NaN"), times in the "O" format, <c>$type</c> after a
    /// structure's properties.
    /// </summary>
    Serilog,
}
