using System.Diagnostics;
using BatchJob.Processing;

namespace BatchJob.Tests.Resuming;

/// <summary>RESUME's pace, CHECKPOINT_INTERVAL_SECONDS: time is passed in, never waited for.</summary>
public sealed class CheckpointScheduleTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void The_first_checkpoint_waits_an_interval_from_the_start_and_each_next_one_an_interval_from_the_last()
    {
        var schedule = new CheckpointSchedule(TimeSpan.FromSeconds(5), startTimestamp: 100 * Second);

        schedule.IsDue(104 * Second).Should().BeFalse();
        schedule.IsDue(105 * Second).Should().BeTrue();
        schedule.IsDue(106 * Second).Should().BeFalse("the interval counts from the checkpoint just taken");
        schedule.IsDue(112 * Second).Should().BeTrue();
        schedule.IsDue(116 * Second).Should().BeFalse();
        schedule.IsDue(117 * Second).Should().BeTrue();
    }

    [Fact]
    public void Zero_checkpoints_at_every_boundary()
    {
        var schedule = new CheckpointSchedule(TimeSpan.Zero, startTimestamp: 100 * Second);

        schedule.IsDue(100 * Second).Should().BeTrue();
        schedule.IsDue(100 * Second).Should().BeTrue();
        schedule.IsDue((100 * Second) + 1).Should().BeTrue();
    }

    [Fact]
    public void A_negative_interval_is_refused()
    {
        var create = () => new CheckpointSchedule(TimeSpan.FromSeconds(-1), 0);

        create.Should().Throw<ArgumentOutOfRangeException>();
    }
}
