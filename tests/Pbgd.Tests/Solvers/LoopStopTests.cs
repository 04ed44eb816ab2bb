using Pbgd.LowerLevel;
using Pbgd.Schedules;
using Pbgd.Solvers;

namespace Pbgd.Tests.Solvers;

/// The shared loop's stopping rules at their exact boundaries, on problems whose measured values are exact binary numbers
/// (ScriptedProblem: L_γ = script[k], gradient mapping 1; BoxQuadraticProblem at u = 0), with the work each stop leaves.
public sealed class LoopStopTests
{
    private static PbgdOptions Unit => new() { Penalty = PenaltySchedule.Constant(1), StepSize = 1, MaxIterations = 50 };

    private static SolverResult RunScript(double[] script, PbgdOptions options, CancellationToken token = default, double hi = 1_000)
    {
        var problem = new ScriptedProblem(script, hi);
        return new PbgdJacobi(problem, new ExactLowerLevelOracle(problem), options).Run([0.0], [0.0], token);
    }

    private static readonly double[] Ramp = Enumerable.Range(0, 60).Select(k => (double)k).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void TheIterationLimitIsTheNumberOfStepsWithEveryPointMeasuredOnce(int limit)
    {
        var seen = new List<(int K, double U)>();
        var result = RunScript(Ramp, Unit with
        {
            MaxIterations = limit, Observer = (in IterationRecord r, ReadOnlySpan<double> u, ReadOnlySpan<double> _) => seen.Add((r.Iteration, u[0])),
        });
        Assert.Equal(StopReason.MaxIterations, result.StopReason);
        Assert.Equal(ConvergenceCriteria.None, result.Converged);
        Assert.Equal(limit, result.Iterations);
        Assert.Equal([(double)limit], result.U);
        Assert.Equal(new SolverCounts(limit, limit + 1, limit + 1, 0, 0, 0), result.Counts);
        Assert.Equal(Enumerable.Range(0, limit + 1).Select(k => (k, (double)k)), seen);
        Assert.Equal(Enumerable.Range(0, limit + 1), result.History.Records.ToArray().Select(r => r.Iteration));
        Assert.Equal(result.Final, result.History.Last);
        Assert.Equal(limit, result.Final.Upper); // L_γ = f = script[k]
    }

    [Theory]
    [InlineData(5, new[] { 0, 2, 4, 5 })]
    [InlineData(4, new[] { 0, 2, 4 })]
    public void EveryKthIterationIsLoggedAndTheLastAlways(int limit, int[] logged)
    {
        int observed = 0;
        var result = RunScript(Ramp, Unit with
        {
            MaxIterations = limit, LogEvery = 2, Observer = (in IterationRecord _, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => observed++,
        });
        Assert.Equal(logged, result.History.Records.ToArray().Select(r => r.Iteration));
        Assert.Equal(limit + 1, observed); // PBGD measures every point completely: the observer sees each
    }

    [Fact]
    public void TheGradientRuleStopsWhereTheMappingFirstMeetsTolRelativeToOnePlusL()
    {
        // ‖G‖ = 1 at every point and L_γ = k: 1 ≤ tol·(1 + k) first at k = 3 for tol = ¼ (exactly at the boundary).
        var atBoundary = RunScript(Ramp, Unit with { GradientTolerance = 0.25 });
        Assert.Equal(StopReason.Converged, atBoundary.StopReason);
        Assert.Equal(ConvergenceCriteria.Gradient, atBoundary.Converged);
        Assert.Equal(3, atBoundary.Iterations);
        Assert.Equal(1, atBoundary.Final.GradientNorm);
        // Just below ¼ the boundary point misses; k = 4 (1 < tol·5) meets it.
        Assert.Equal(4, RunScript(Ramp, Unit with { GradientTolerance = Math.BitDecrement(0.25) }).Iterations);
        // With L_γ = −k the same |L_γ| counts.
        Assert.Equal(3, RunScript(Ramp.Select(x => -x).ToArray(), Unit with { GradientTolerance = 0.25 }).Iterations);
    }

    // u⁰ = 0, v⁰ = (1, 0, 0) on the box quadratic (a = (1, −2, ½), γ = 2): Bu = 0 = ω, so g = ½, g* = 0, f = ½(0 + 4 + ¼)
    // = 2.125 and L_γ = 3.125, all exact.
    private static SolverResult AtStart(PbgdOptions options)
    {
        var q = BoxQuadraticProblem.Small();
        return new PbgdJacobi(q, new ExactLowerLevelOracle(q), options with { Penalty = PenaltySchedule.Constant(2), MaxIterations = 0 }).Run([0, 0], [1, 0, 0]);
    }

    [Fact]
    public void TheGapRulesStopExactlyAtTheirTolerances()
    {
        var start = AtStart(new PbgdOptions());
        Assert.Equal((0.5, 0.0, 2.125, 3.125), (start.Final.Lower, start.Final.LowerOptimal, start.Final.Upper, start.Final.Penalized));
        Assert.Equal(StopReason.MaxIterations, start.StopReason);

        var gap = AtStart(new PbgdOptions { LowerGapTolerance = 0.5 });
        Assert.Equal((StopReason.Converged, ConvergenceCriteria.LowerGap), (gap.StopReason, gap.Converged));
        Assert.Equal(StopReason.MaxIterations, AtStart(new PbgdOptions { LowerGapTolerance = Math.BitDecrement(0.5) }).StopReason);

        // L_γ − reference = 3.125 − 0.125 = 3.
        var penalized = AtStart(new PbgdOptions { PenalizedReference = 0.125, PenalizedGapTolerance = 3 });
        Assert.Equal((StopReason.Converged, ConvergenceCriteria.PenalizedGap), (penalized.StopReason, penalized.Converged));
        Assert.Equal(StopReason.MaxIterations, AtStart(new PbgdOptions { PenalizedReference = 0.125, PenalizedGapTolerance = Math.BitDecrement(3.0) }).StopReason);
    }

    [Fact]
    public void EveryConfiguredToleranceMustHoldAndAllMetOnesAreReported()
    {
        const double wide = 1e6;
        var all = AtStart(new PbgdOptions { GradientTolerance = wide, LowerGapTolerance = wide, PenalizedReference = 0, PenalizedGapTolerance = wide });
        Assert.Equal(ConvergenceCriteria.Gradient | ConvergenceCriteria.LowerGap | ConvergenceCriteria.PenalizedGap, all.Converged);
        Assert.Equal(ConvergenceCriteria.Gradient | ConvergenceCriteria.LowerGap, AtStart(new PbgdOptions { GradientTolerance = wide, LowerGapTolerance = wide }).Converged);
        // One missed tolerance, each in turn, and the run does not stop on the others.
        foreach (var missed in new[]
        {
            new PbgdOptions { GradientTolerance = 1e-9, LowerGapTolerance = wide, PenalizedReference = 0, PenalizedGapTolerance = wide },
            new PbgdOptions { GradientTolerance = wide, LowerGapTolerance = 0.25, PenalizedReference = 0, PenalizedGapTolerance = wide },
            new PbgdOptions { GradientTolerance = wide, LowerGapTolerance = wide, PenalizedReference = 0, PenalizedGapTolerance = 1 },
        })
        {
            var r = AtStart(missed);
            Assert.Equal((StopReason.MaxIterations, ConvergenceCriteria.None), (r.StopReason, r.Converged));
        }
    }

    [Fact]
    public void ANonFinitePointStopsTheRunAtTheLastFiniteOneAsItWasMeasured()
    {
        var result = RunScript([1, 2, double.NaN, 4], Unit);
        Assert.Equal(StopReason.Diverged, result.StopReason);
        Assert.Equal(1, result.Iterations);
        Assert.Equal([1.0], result.U);
        Assert.Equal([0.0], result.V);
        Assert.Equal(2, result.Final.Upper);
        // The record is the one measured at k = 1 (two points measured and one step taken by then), not a re-measurement.
        Assert.Equal(new SolverCounts(1, 2, 2, 0, 0, 0), result.Counts);
        Assert.Equal([0, 1], result.History.Records.ToArray().Select(r => r.Iteration));

        var atStart = RunScript([double.PositiveInfinity, 1], Unit);
        Assert.Equal((StopReason.Diverged, 0), (atStart.StopReason, atStart.Iterations));
        Assert.Equal([0.0], atStart.U);
        Assert.Equal(new SolverCounts(0, 1, 1, 0, 0, 0), atStart.Counts);
    }

    [Fact]
    public void CancellationIsTestedBeforeTheIterationLimitAndTheLimitBeforeTheTimeBudget()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var c = RunScript(Ramp, Unit with { MaxIterations = 0, TimeBudget = TimeSpan.FromTicks(1) }, cancelled.Token);
        Assert.Equal((StopReason.Cancelled, 0), (c.StopReason, c.Iterations));
        var m = RunScript(Ramp, Unit with { MaxIterations = 0, TimeBudget = TimeSpan.FromTicks(1) });
        Assert.Equal(StopReason.MaxIterations, m.StopReason);
        // One tick of budget is spent before the first point is tested: the run stops there, having stepped nowhere.
        var t = RunScript(Ramp, Unit with { TimeBudget = TimeSpan.FromTicks(1) });
        Assert.Equal((StopReason.TimeBudget, 0), (t.StopReason, t.Iterations));
        Assert.Equal(new SolverCounts(0, 1, 1, 0, 0, 0), t.Counts);
        // A generous budget does not stop a short run.
        Assert.Equal(StopReason.MaxIterations, RunScript(Ramp, Unit with { MaxIterations = 3, TimeBudget = TimeSpan.FromHours(1) }).StopReason);
    }

    [Fact]
    public void ACancellationDuringTheRunStopsAfterThePointItWasRequestedAt()
    {
        using var cancel = new CancellationTokenSource();
        var result = RunScript(Ramp, Unit with
        {
            Observer = (in IterationRecord r, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => { if (r.Iteration == 2) cancel.Cancel(); },
        }, cancel.Token);
        Assert.Equal((StopReason.Cancelled, 2), (result.StopReason, result.Iterations));
        Assert.Equal([2.0], result.U);
    }
}
