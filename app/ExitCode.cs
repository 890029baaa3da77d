namespace BatchJob;

/// <summary>
/// The process exit codes; README, setup.md and the Job's podFailurePolicy use these numbers.
/// Each failure kind has its own code so Kubernetes (and people) can tell them apart.
/// </summary>
internal enum ExitCode
{
    /// <summary>Every record accounted for and the failed ratio within MAX_FAILED_RATIO.</summary>
    Success = 0,

    /// <summary>An unexpected error: a bug or the environment; worth a retry.</summary>
    Crash = 1,

    /// <summary>
    /// Bad configuration (an unreadable .env or a missing appsettings.json too), missing/unreadable
    /// input, or output that cannot be written (stdout included, or a write refused mid-run): a
    /// retry cannot help.
    /// </summary>
    InvalidConfiguration = 2,

    /// <summary>More failed records than MAX_FAILED_RATIO allows: the data needs fixing, not a retry.</summary>
    TooManyFailedRecords = 3,

    /// <summary>COST_BUDGET_USD reached: the run stopped before the record that would pass it. A retry would hit the same budget.</summary>
    BudgetExceeded = 4,

    /// <summary>Stopped by SIGTERM or Ctrl+C (128 + SIGTERM, as shells report it), also while waiting on a pipe or FIFO; the summary is printed before the telemetry flush.</summary>
    Interrupted = 143,
}
