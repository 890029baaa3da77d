namespace BatchJob.Processing;

/// <summary>
/// COST_BUDGET_USD: whether the next record may start, judged from the records so far. A record's
/// cost is known only once it ran, so the next one is assumed to cost what the records so far cost
/// on average; the real spend can pass the budget by at most the last record's cost.
/// </summary>
/// <param name="budgetUsd">Null: no budget, nothing is ever stopped.</param>
internal sealed class BudgetGuard(double? budgetUsd)
{
    private bool _forecastWarned;

    public double? BudgetUsd => budgetUsd;

    /// <summary>True when starting one more record would likely take the spend over the budget.</summary>
    /// <remarks>Takes the statistics, not the spend: without a budget the spend (a scaled sum) is never read.</remarks>
    public bool MustStop(BatchStatistics stats) =>
        budgetUsd is { } budget && stats.Successful > 0 && stats.CostUsd is var spent && spent + (spent / stats.Successful) > budget;

    /// <summary>
    /// Cost so far extrapolated to the whole input by the share of its bytes read; null when the
    /// input's size is unknown (a pipe) or nothing is read yet.
    /// </summary>
    public static double? Forecast(double spentUsd, long bytesRead, long totalBytes) =>
        totalBytes > 0 && bytesRead > 0 ? spentUsd * totalBytes / Math.Min(bytesRead, totalBytes) : null;

    /// <summary>True the first time a forecast is over the budget: the one WARN that says so.</summary>
    public bool FirstForecastOver(double? forecastUsd)
    {
        if (_forecastWarned || budgetUsd is not { } budget || forecastUsd is not { } forecast || forecast <= budget)
        {
            return false;
        }

        _forecastWarned = true;
        return true;
    }
}
