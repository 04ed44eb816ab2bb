using Pbgd.LowerLevel;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Solvers.Baselines;
using Xunit.Abstractions;

namespace Pbgd.Tests.Solvers;

/// F²SA and BOME on the user-defined quadratic problem, whose bilevel optimum F* = F(u*) is a closed form.
public class BaselineSolverTests(ITestOutputHelper output)
{
    private static double NestedGap(QuadraticBilevelProblem problem, double[] u, double fStar)
    {
        var vStar = new double[problem.Q];
        problem.SolveLower(u, vStar);
        return problem.Upper(u, vStar, default, default) - fStar;
    }

    [Fact]
    public void F2saApproachesTheBilevelOptimum()
    {
        var problem = QuadraticBilevelProblem.Create(seed: 3);
        var (_, fStar) = problem.BilevelOptimum();
        double bNorm = problem.B.Sum(x => x * x);
        var result = new F2sa(problem, new ExactLowerLevelOracle(problem), new BaselineOptions
        {
            Multiplier = PenaltySchedule.LinearRamp(0, 100, 5_000),
            UpperStep = 0.5 / (problem.C + bNorm), LowerStep = 0.5, InnerStep = 0.5, InnerSteps = 5, MaxIterations = 60_000, LogEvery = 100,
        }).Run(new double[problem.P], new double[problem.Q]);
        double start = NestedGap(problem, new double[problem.P], fStar), end = NestedGap(problem, result.U, fStar);
        output.WriteLine($"F2SA: F* = {fStar:G6}, F(u0) − F* = {start:E3}, F(u_K) − F* = {end:E3}, g − g* = {result.Final.LowerGap:E3}, {result.Iterations} iterations, {result.Counts.InnerSteps} inner steps, {result.Seconds:F2} s");
        Assert.Equal(StopReason.MaxIterations, result.StopReason);
        // With λ = 100 the penalty bias in u is O(1/λ), so F − F* = O(1/λ²): 1e−3 is a safe bound, 1e−4 typical.
        Assert.InRange(end, -1e-12, 1e-3 * Math.Max(1, fStar));
        Assert.True(end < 1e-2 * start);
    }

    [Fact]
    public void BomeApproachesTheBilevelOptimum()
    {
        var problem = QuadraticBilevelProblem.Create(seed: 3);
        var (_, fStar) = problem.BilevelOptimum();
        var result = new Bome(problem, new ExactLowerLevelOracle(problem), new BaselineOptions
        {
            UpperStep = 0.05, InnerStep = 0.5, InnerSteps = 10, Eta = 0.5, MaxIterations = 60_000, LogEvery = 100,
        }).Run(new double[problem.P], new double[problem.Q]);
        double start = NestedGap(problem, new double[problem.P], fStar), end = NestedGap(problem, result.U, fStar);
        output.WriteLine($"BOME: F(u0) − F* = {start:E3}, F(u_K) − F* = {end:E3}, g − g* = {result.Final.LowerGap:E3}, λ = {result.Final.Gamma:G3}, {result.Iterations} iterations, {result.Seconds:F2} s");
        Assert.True(result.Final.IsFinite);
        Assert.InRange(end, -1e-12, 1e-3 * Math.Max(1, fStar));
        // Measured: g − g* stalls near 2e−2 at these settings. BOME's λ only enforces a decrease of q at rate
        // η‖∇q‖², which vanishes as ∇q → 0, so feasibility is approached slowly; reported, not tuned away.
        Assert.InRange(result.Final.LowerGap, -1e-12, 5e-2);
    }
}
