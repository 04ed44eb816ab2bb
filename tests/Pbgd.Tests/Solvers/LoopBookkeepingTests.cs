using Pbgd.LowerLevel;
using Pbgd.Schedules;
using Pbgd.Solvers;

namespace Pbgd.Tests.Solvers;

/// What the shared loop keeps besides the iterates, on ScriptedProblem (L_γ = script[k] exactly, u = k): the count of
/// L_γ increases with γ fixed and their longest streak, the checkpoint schedule, the clock that leaves the observer's time
/// out, and the checks of Init and Step.
public sealed class LoopBookkeepingTests
{
    private static PbgdOptions Unit => new() { Penalty = PenaltySchedule.Constant(1), StepSize = 1, MaxIterations = 50 };

    private static PbgdJacobi Solver(double[] script, PbgdOptions options, double hi = 1_000)
    {
        var problem = new ScriptedProblem(script, hi);
        return new PbgdJacobi(problem, new ExactLowerLevelOracle(problem), options);
    }

    [Fact]
    public void IncreasesOfLWithGammaFixedAreCountedWithTheirLongestStreak()
    {
        // Rises at k = 1, 2, 3 (a streak of 3), 5, 6 (2) and 8 (1); k = 9 repeats the value, and k = 10 rises by exactly
        // 1e−12 relative (the detector's rounding allowance): neither counts.
        double[] script = [5, 6, 7, 8, 3, 4, 5, 1, 2, 2, 2 + 1e-12 * 2, 1];
        var result = Solver(script, Unit with { MaxIterations = script.Length - 1 }).Run([0.0], [0.0]);
        Assert.Equal(script, result.History.Records.ToArray().Select(r => r.Penalized));
        Assert.Equal(6, result.PenaltyIncreases);
        Assert.Equal(3, result.LongestIncreaseStreak);
        Assert.True(result.Oscillated); // three in a row

        var two = Solver(script[4..9], Unit with { MaxIterations = 4 }).Run([0.0], [0.0]); // 3, 4, 5, 1, 2
        Assert.Equal((3, 2), (two.PenaltyIncreases, two.LongestIncreaseStreak));
        Assert.False(two.Oscillated);
    }

    [Fact]
    public void RisesWhileGammaChangesAreNotIncreases()
    {
        // γ = 1, 2, 3, 4, 4, 4: L_γ rises at every step, but only k = 4 and 5 have the previous point's γ.
        var result = Solver([1, 2, 3, 4, 5, 6], Unit with { Penalty = PenaltySchedule.LinearRamp(1, 4, 3), MaxIterations = 5 }).Run([0.0], [0.0]);
        Assert.Equal([1.0, 2, 3, 4, 4, 4], result.History.Records.ToArray().Select(r => r.Gamma));
        Assert.Equal((2, 2), (result.PenaltyIncreases, result.LongestIncreaseStreak));
    }

    [Fact]
    public void ACheckpointResumesTheIncreaseCountersWhereTheyWere()
    {
        double[] script = [5, 6, 7, 8, 3, 4, 5, 1, 2];
        var checkpoints = new List<SolverCheckpoint>();
        var full = Solver(script, Unit with { MaxIterations = 8, CheckpointEvery = 3, Checkpoint = checkpoints.Add }).Run([0.0], [0.0]);
        var at3 = checkpoints.Single(c => c.Iteration == 3);
        Assert.Equal([2, 2, 2], at3.IncreaseCounters); // rises at k = 1, 2 measured before the checkpoint
        Assert.Equal([7.0, 1.0], at3.Previous);        // L_γ and γ of k = 2
        var resumed = Solver(script, Unit with { MaxIterations = 8 }).Resume(at3);
        Assert.Equal((full.PenaltyIncreases, full.LongestIncreaseStreak), (resumed.PenaltyIncreases, resumed.LongestIncreaseStreak));
        Assert.Equal((6, 3), (resumed.PenaltyIncreases, resumed.LongestIncreaseStreak));
        Assert.Equal(full.Counts, resumed.Counts);
    }

    [Theory]
    [InlineData(2, 0L, new[] { 2, 4 })]
    [InlineData(0, 1L, new[] { 1, 2, 3, 4, 5 })]
    [InlineData(0, 0L, new int[0])]
    [InlineData(0, 864_000_000_000L, new int[0])]
    public void CheckpointsComeEveryKIterationsOrAfterAnIntervalAndAlwaysAtTheStop(int every, long intervalTicks, int[] periodic)
    {
        var checkpoints = new List<SolverCheckpoint>();
        Solver(Enumerable.Range(0, 10).Select(k => (double)k).ToArray(), Unit with
        {
            MaxIterations = 5, CheckpointEvery = every, CheckpointInterval = intervalTicks > 0 ? TimeSpan.FromTicks(intervalTicks) : null,
            Checkpoint = checkpoints.Add,
            // A millisecond per point, so that one tick of interval has surely passed between two steps.
            Observer = (in IterationRecord _, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => Thread.Sleep(1),
        }).Run([0.0], [0.0]);
        Assert.Equal(periodic.Select(k => (k, (StopReason?)null)).Append((5, StopReason.MaxIterations)),
            checkpoints.Select(c => (c.Iteration, c.Stopped)));
        foreach (var c in checkpoints)
        {
            Assert.Equal([(double)c.Iteration], c.U);
            Assert.Equal(c.Iteration, c.Counts.UpperSteps);
            Assert.Equal(c.Iteration + (c.Stopped is null ? 0 : 1), c.Counts.Evaluations); // the stop's point is measured
            Assert.Equal("PBGD-J", c.Algorithm);
        }
    }

    [Fact]
    public void TheObserversTimeIsKeptOffTheSolversClock()
    {
        // 4 points × 40 ms of observer against microseconds of work on a one-dimensional problem.
        var result = Solver([0, 1, 2, 3], Unit with
        {
            MaxIterations = 3, Observer = (in IterationRecord _, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => Thread.Sleep(40),
        }).Run([0.0], [0.0]);
        Assert.InRange(result.Seconds, 0, 0.1);
        var seconds = result.History.Records.ToArray().Select(r => r.Seconds).ToArray();
        Assert.All(seconds, s => Assert.InRange(s, 0, result.Seconds));
        Assert.True(seconds.Zip(seconds.Skip(1), (a, b) => b >= a).All(x => x), "the records' clock must not run backwards");
    }

    [Fact]
    public void InitRefusesStartsOfTheWrongLengthOrNotFiniteAndProjectsU()
    {
        var solver = Solver([0, 1, 2], Unit, hi: 2);
        Assert.Equal("u0", Assert.Throws<ArgumentException>(() => solver.Init([0.0, 0.0], [0.0])).ParamName);
        Assert.Equal("v0", Assert.Throws<ArgumentException>(() => solver.Init([0.0], [])).ParamName);
        var nan = Assert.Throws<ArgumentException>(() => solver.Init([double.NaN], [0.0]));
        Assert.Equal("u0", nan.ParamName);
        Assert.Contains("u0[0] is NaN", nan.Message);
        var inf = Assert.Throws<ArgumentException>(() => solver.Init([0.0], [double.NegativeInfinity]));
        Assert.Equal("v0", inf.ParamName);
        Assert.Contains("v0[0] is", inf.Message);

        var state = solver.Init([5.0], [0.25]);
        Assert.Equal([2.0], state.U); // projected onto [0, 2]
        Assert.Equal([0.25], state.V);
        Assert.Equal([0.25], state.Omega); // v⁰ is also the first ω
        Assert.Equal(0, state.Iteration);
    }

    [Fact]
    public void StepMeasuresThenStepsFromTheMeasuredPoint()
    {
        var solver = Solver([7, 8, 9], Unit);
        var state = solver.Init([0.0], [0.0]);
        var first = solver.Step(state);
        Assert.Equal((0, 7.0, 1.0), (first.Iteration, first.Upper, first.StepSize));
        Assert.Equal((1, 1.0), (state.Iteration, state.U[0]));
        var second = solver.Step(state);
        Assert.Equal((1, 8.0), (second.Iteration, second.Upper));
        Assert.Equal(new SolverCounts(2, 2, 2, 0, 0, 0), state.Counts);
        Assert.Equal(second, state.Last);
        var snapshot = solver.Snapshot(state, new SolverHistory(16));
        Assert.Equal((2, 2.0), (snapshot.Iteration, snapshot.U[0]));
        Assert.Null(snapshot.Stopped);
    }
}
