using System.Diagnostics;
using BatchJob.Processing;

namespace BatchJob.Tests.Processing;

/// <summary>"Batch progress": every BATCH_SIZE records or PROGRESS_INTERVAL_SECONDS, whichever first. Time is passed in, never waited for.</summary>
public sealed class ProgressTrackerTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void Is_due_every_batch_of_records()
    {
        var tracker = new ProgressTracker(everyRecords: 1000, TimeSpan.FromSeconds(10), startTimestamp: 0);
        tracker.IsDue(999, Second).Should().BeFalse();
        tracker.IsDue(1000, Second).Should().BeTrue();
        tracker.Report(1000, Second, 0, 0);
        tracker.IsDue(1999, 2 * Second).Should().BeFalse();
        tracker.IsDue(2000, 2 * Second).Should().BeTrue();
    }

    [Fact]
    public void A_resumed_run_counts_rate_and_eta_from_its_own_work()
    {
        // Resumed after 9000 records and 900 of 1000 bytes: this process did 1000 records and 50 bytes in 10 s.
        var tracker = new ProgressTracker(everyRecords: 1000, TimeSpan.FromSeconds(10), startTimestamp: 0, startRecords: 9000, startBytes: 900);
        tracker.IsDue(9999, Second).Should().BeFalse();
        tracker.IsDue(10_000, Second).Should().BeTrue();

        var report = tracker.Report(10_000, 10 * Second, bytesRead: 950, totalBytes: 1000);

        report.Records.Should().Be(10_000);
        report.RatePerSecond.Should().Be(100);
        report.EtaSeconds.Should().Be(10, "50 bytes left at 5 bytes a second");
    }

    [Fact]
    public void Is_due_after_the_interval_when_records_are_slow()
    {
        var tracker = new ProgressTracker(everyRecords: 1000, TimeSpan.FromSeconds(10), startTimestamp: 5 * Second);
        tracker.IsDue(3, 14 * Second).Should().BeFalse();
        tracker.IsDue(3, 15 * Second).Should().BeTrue();
        tracker.Report(3, 15 * Second, 0, 0);
        tracker.IsDue(4, 24 * Second).Should().BeFalse("the interval restarts at each report");
        tracker.IsDue(4, 25 * Second).Should().BeTrue();
    }

    [Fact]
    public void A_report_by_time_also_restarts_the_record_count()
    {
        var tracker = new ProgressTracker(everyRecords: 100, TimeSpan.FromSeconds(1), startTimestamp: 0);
        tracker.Report(50, Second, 0, 0);
        tracker.IsDue(149, Second + 1).Should().BeFalse();
        tracker.IsDue(150, Second + 1).Should().BeTrue();
    }

    [Fact]
    public void Reports_rate_elapsed_and_an_eta_from_the_bytes_left()
    {
        var tracker = new ProgressTracker(everyRecords: 1000, TimeSpan.FromSeconds(10), startTimestamp: 10 * Second);
        var progress = tracker.Report(records: 5000, now: 12 * Second, bytesRead: 250, totalBytes: 1000);
        progress.Records.Should().Be(5000);
        progress.RatePerSecond.Should().Be(2500);
        progress.ElapsedSeconds.Should().Be(2);
        progress.EtaSeconds.Should().Be(6, "a quarter of the bytes took 2 s, three quarters are left");
    }

    [Fact]
    public void Has_no_eta_when_the_input_size_is_unknown() =>
        new ProgressTracker(1000, TimeSpan.FromSeconds(10), 0).Report(10, Second, 100, totalBytes: 0).EtaSeconds.Should().BeNull();
}
