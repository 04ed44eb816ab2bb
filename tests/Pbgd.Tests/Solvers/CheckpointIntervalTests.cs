using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Solvers;

/// The two checkpoint triggers of the solver loop, alone and together: every k iterations (CheckpointEvery) and
/// whenever the interval has passed since the last checkpoint (CheckpointInterval, the CLI's --checkpoint-seconds).
/// An interval of one tick has always passed after a step; one of an hour never passes in these runs.
public sealed class CheckpointIntervalTests
{
    private static List<(long Iteration, StopReason? Stopped)> Checkpoints(int every, TimeSpan? interval)
    {
        var d = HyperCleaningGenerator.Realistic(60, 20, 3, 3, 0.4, 5);
        var problem = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, new HyperCleaningSquaredOptions { Radius = 3 });
        var written = new List<(long, StopReason?)>();
        var options = new PbgdOptions
        {
            MaxIterations = 6, LogEvery = 1, CheckpointEvery = every, CheckpointInterval = interval,
            Checkpoint = c => written.Add((c.Iteration, c.Stopped)),
        };
        new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), options).Run(new double[problem.UpperDimension], new double[problem.LowerDimension]);
        return written;
    }

    [Fact]
    public void AnIntervalThatHasAlwaysPassedCheckpointsAfterEveryStep()
    {
        // Iterations 1…6 from the loop, then the finished run's own checkpoint at 6, marked as stopped there.
        Assert.Equal([(1, null), (2, null), (3, null), (4, null), (5, null), (6, null), (6, StopReason.MaxIterations)],
            Checkpoints(every: 0, interval: TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void AnIntervalThatNeverPassesLeavesOnlyTheEveryKCheckpoints()
    {
        Assert.Equal([(6, StopReason.MaxIterations)], Checkpoints(every: 0, interval: TimeSpan.FromHours(1)));
        Assert.Equal([(2, null), (4, null), (6, null), (6, StopReason.MaxIterations)], Checkpoints(every: 2, interval: TimeSpan.FromHours(1)));
        Assert.Equal([(3, null), (6, null), (6, StopReason.MaxIterations)], Checkpoints(every: 3, interval: null));
    }

    [Fact]
    public void ANonPositiveIntervalIsRefusedByName()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new PbgdOptions { CheckpointInterval = TimeSpan.Zero }.Validate());
        Assert.Contains("CheckpointInterval", e.Message + e.ParamName);
    }
}
