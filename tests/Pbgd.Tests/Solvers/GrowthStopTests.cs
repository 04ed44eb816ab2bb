using Pbgd.LowerLevel;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Xunit.Abstractions;

namespace Pbgd.Tests.Solvers;

/// PBGD-B's gradient v-step descends h(v) = f + γg at fixed u, so with a step below 2/ℓ it cannot raise h. A fixed step
/// that is fine at small γ and far too large once γ has ramped up raises h by more than 100·max(1, |h|) in one v-step while every value
/// stays finite: the run stops as Growing, returns the point that step started from, and L_γ there (computed here from
/// the problem's closed forms, not from the solver's record) is the record's and below the rejected point's.
public sealed class GrowthStopTests(ITestOutputHelper output)
{
    private static double PenalizedAt(QuadraticBilevelProblem problem, double gamma, double[] u, double[] v)
    {
        // g* = 0 for this problem (v*(u) = Bu), so L_γ = f + γ g.
        return problem.Upper(u, v, Span<double>.Empty, Span<double>.Empty)
               + gamma * problem.Lower(u, v, Span<double>.Empty, Span<double>.Empty);
    }

    [Fact]
    public void AStepTooLargeForTheRampedPenaltyStopsAsGrowingWithThePointBeforeTheRise()
    {
        var problem = QuadraticBilevelProblem.Create(seed: 3);
        var history = new List<(int K, double[] U, double[] V)>();
        var options = new PbgdOptions
        {
            Penalty = PenaltySchedule.LinearRamp(1, 200, 100), StepSize = 0.05, ExactLowerStep = false, MaxIterations = 100,
            Observer = (in IterationRecord r, ReadOnlySpan<double> u, ReadOnlySpan<double> v) => history.Add((r.Iteration, u.ToArray(), v.ToArray())),
        };
        var result = new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), options)
            .Run(Enumerable.Repeat(0.5, problem.P).ToArray(), new double[problem.Q]);
        output.WriteLine(result.ToString());

        Assert.Equal(StopReason.Growing, result.StopReason);
                double gamma = options.Penalty.Gamma(result.Iterations);
        double mine = PenalizedAt(problem, gamma, result.U, result.V);
        Assert.Equal(mine, result.Final.Penalized, 1e-9 * Math.Max(1, Math.Abs(mine)));
        Assert.True(double.IsNaN(result.Final.GradientNorm)); // not measured there, and said so
        // The rejected point (the v-step's end, as the observer saw it): L_γ rose by more than 100·max(1, |L_γ|) in one v-step.
        var rejected = history[^1];
        Assert.Equal(result.Iterations, rejected.K);
        Assert.Equal(result.U, rejected.U);
        Assert.True(PenalizedAt(problem, gamma, rejected.U, rejected.V) - mine > 100 * Math.Max(1, Math.Abs(mine)));
        // The rule fires where theory says the step stops being a descent step: α(1 + γ_k) > 2 (h's curvature in v is
        // 1 + γ), here from k = 20 on; a few iterations past it the rise compounds beyond the threshold.
        Assert.InRange(result.Iterations, 20, 26);
        // At this γ, the returned point is the best point the run visited (every earlier v, with the same u).
        foreach (var (_, _, v) in history)
            Assert.True(mine <= PenalizedAt(problem, gamma, result.U, v) + 1e-12 * Math.Abs(mine));
        Assert.Equal(result.Iterations, result.History.Last.Iteration);
        Assert.Equal(result.Final.Penalized, result.History.Last.Penalized);
    }

    [Fact]
    public void TheDerivedStepNeverStopsAsGrowing()
    {
        var problem = QuadraticBilevelProblem.Create(seed: 3);
        var result = new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), new PbgdOptions
        {
            Penalty = PenaltySchedule.LinearRamp(1, 200, 100), ExactLowerStep = false, MaxIterations = 300,
        }).Run(Enumerable.Repeat(0.5, problem.P).ToArray(), new double[problem.Q]);
        Assert.NotEqual(StopReason.Growing, result.StopReason);
    }
}
