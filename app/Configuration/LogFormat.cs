namespace BatchJob.Configuration;

/// <summary>Layout of the JSON lines on stdout.</summary>
internal enum LogFormat
{
    /// <summary>The lab's lines: <c>timestamp</c>, <c>level</c>, <c>message</c>, fields, <c>trace_id</c>, <c>span_id</c>.</summary>
    Lab,

    /// <summary>Compact Log Event Format (<c>@t</c>, <c>@mt</c>, <c>@l</c>, <c>@tr</c>, <c>@sp</c>) for Seq-style readers.</summary>
    Clef,
}
