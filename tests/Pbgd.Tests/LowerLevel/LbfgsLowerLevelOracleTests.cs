using Pbgd.Checkpoints;
using Pbgd.LowerLevel;

namespace Pbgd.Tests.LowerLevel;

/// The L-BFGS oracle (and the inner solve it shares with PBGD-B's v-step) on g(u, v) = Σ ½aᵢvᵢ² − uᵢvᵢ (see
/// DiagonalLowerProblem), whose gradient a∘v − u and minimiser u ./ a are closed forms: when a call stops (tolerance
/// met at the start, at a boundary, relative to the start, after the step cap), what it returns, and its state.
public class LbfgsLowerLevelOracleTests
{
    [Fact]
    public void AStartThatMeetsTheToleranceExactlyCostsOneEvaluationAndNoStep()
    {
        // Boundary: at ω = 0 the residual is ‖u‖ = ‖(3, 4)‖ = 5 exactly, and the tolerance is 5 (≤, not <).
        var problem = new DiagonalLowerProblem([1.0, 4.0]);
        var oracle = new LbfgsLowerLevelOracle(problem, new LbfgsOracleOptions { Tolerance = 5 });
        double[] omega = new double[2];
        var report = oracle.Estimate([3.0, 4.0], omega);
        Assert.Equal(new OracleReport(1, -1, true), report);
        Assert.Equal([0.0, 0.0], omega);
        Assert.Equal(5, oracle.LastResidual);
        Assert.Equal(5, oracle.Floor);
    }

    [Fact]
    public void ARequestBelowTheFloorIsRaisedToIt()
    {
        // The floor (own tolerance) is 5 = the start's residual: a request of 1e−3 still stops at the start.
        var problem = new DiagonalLowerProblem([1.0, 4.0]);
        var oracle = new LbfgsLowerLevelOracle(problem, new LbfgsOracleOptions { Tolerance = 5 });
        oracle.SetTolerance(1e-3, 0);
        double[] omega = new double[2];
        Assert.Equal(1, oracle.Estimate([3.0, 4.0], omega).GradientSteps);
        Assert.Equal(new LbfgsLowerLevelOracle.State(5, 0), StateJson.FromNode<LbfgsLowerLevelOracle.State>(oracle.SaveState(), "s"));
    }

    [Fact]
    public void AnInfiniteRequestEvaluatesTheStartOnly()
    {
        var problem = new DiagonalLowerProblem([1.0, 4.0]);
        var oracle = new LbfgsLowerLevelOracle(problem);
        oracle.SetTolerance(double.PositiveInfinity, 0);
        double[] omega = [1.0, 1.0];
        Assert.Equal(1, oracle.Estimate([3.0, 4.0], omega).GradientSteps);
        Assert.Equal([1.0, 1.0], omega);
        Assert.Equal(problem.Residual([3.0, 4.0], omega), oracle.LastResidual);   // ‖(1 − 3, 4 − 4)‖ = 2
        Assert.Equal(2, oracle.LastResidual);
    }

    [Fact]
    public void AStepThatLandsOnTheMinimiserEndsTheCallWithResidualZero()
    {
        // g = ½v² − v from v = 0: the first L-BFGS step has unit length (scaling 1/‖∇‖ = 1) and lands on v* = 1, where
        // ∇ = 0 exactly: one step, two evaluations, and the residual reported is the new point's 0, not the start's 1.
        var problem = new DiagonalLowerProblem([1.0]);
        var oracle = new LbfgsLowerLevelOracle(problem);
        Assert.True(double.IsNaN(oracle.LastResidual), "no residual before the first call");
        double[] omega = [0.0];
        Assert.Equal(2, oracle.Estimate([1.0], omega).GradientSteps);
        Assert.Equal([1.0], omega);
        Assert.Equal(0, oracle.LastResidual);
    }

    [Fact]
    public void TheDefaultToleranceSolvesToItAndTheEstimateIsTheClosedFormMinimiser()
    {
        var problem = new DiagonalLowerProblem([1.0, 100.0, 0.5]);
        var oracle = new LbfgsLowerLevelOracle(problem);
        double[] u = [1.0, -3.0, 2.0], omega = new double[3];
        var report = oracle.Estimate(u, omega);
        // |ωᵢ − vᵢ*| = |∇ᵢ|/aᵢ ≤ 1e−8/min aᵢ = 2e−8 once the residual is within the tolerance.
        double[] vStar = [1.0, -0.03, 4.0];
        for (int i = 0; i < 3; i++) Assert.Equal(vStar[i], omega[i], 2e-8);
        Assert.InRange(problem.Residual(u, omega), 0, 1e-8);
        Assert.Equal(problem.Residual(u, omega), oracle.LastResidual, 1e-15);
        Assert.Equal(problem.LowerCalls, report.GradientSteps);
        Assert.True(report.GradientSteps > 2);
        Assert.Equal("lbfgs(tol=1E-08, m=10, warm)", oracle.Name);
        Assert.False(oracle.IsExact);
    }

    // a = (1, 100), u = (1, 1), ω = 0: ∇ = (−1, −1), so the first step (steepest descent, no curvature pairs yet) keeps
    // ω₀ = ω₁; v* = (1, 0.01) does not, so any second step breaks the equality.
    private static readonly double[] Stiff = [1.0, 100.0], Ones = [1.0, 1.0];

    [Fact]
    public void TheStepCapStopsAfterExactlyThatManyAcceptedSteps()
    {
        var oracle = new LbfgsLowerLevelOracle(new DiagonalLowerProblem(Stiff), new LbfgsOracleOptions { MaxIterations = 1 });
        double[] omega = new double[2];
        oracle.Estimate(Ones, omega);
        Assert.True(omega[0] > 0 && omega[0] == omega[1], $"one steepest-descent step from 0 keeps ω₀ = ω₁: ({omega[0]}, {omega[1]})");
        Assert.True(oracle.LastResidual > 0.5, "one step cannot solve it");

        var two = new LbfgsLowerLevelOracle(new DiagonalLowerProblem(Stiff), new LbfgsOracleOptions { MaxIterations = 2 });
        double[] omega2 = new double[2];
        two.Estimate(Ones, omega2);
        Assert.NotEqual(omega2[0], omega2[1]);
    }

    [Fact]
    public void ARelativeRequestStopsAtTheFirstIterateWithinItsFractionOfTheStartResidual()
    {
        // After the first step the residual is ≈ 0.98·‖∇₀‖ (the exact line minimum along (1, 1) is α = 2/101, residual
        // (99/101)·√2); a relative target of 0.99·‖∇₀‖ is therefore met after exactly one step.
        var problem = new DiagonalLowerProblem(Stiff);
        var oracle = new LbfgsLowerLevelOracle(problem);
        oracle.SetTolerance(0, 0.99);
        double[] omega = new double[2];
        oracle.Estimate(Ones, omega);
        double measured = problem.Residual(Ones, omega);
        Assert.True(omega[0] == omega[1], $"one step expected: ({omega[0]}, {omega[1]})");
        Assert.InRange(measured, 0.9 * Math.Sqrt(2), 0.99 * Math.Sqrt(2));
        Assert.Equal(measured, oracle.LastResidual, 1e-15);
        Assert.Equal(new LbfgsLowerLevelOracle.State(1e-8, 0.99), StateJson.FromNode<LbfgsLowerLevelOracle.State>(oracle.SaveState(), "s"));
    }

    [Fact]
    public void AToleranceBelowRoundingEndsTheCallAndReportsTheResidualOfThePointReturned()
    {
        // A floor of 5e−324 is below what rounding in g resolves: the call ends when the line search finds nothing better
        // (or the gradient is exactly 0), within the step cap, at a point that solves the problem to rounding.
        var problem = new DiagonalLowerProblem([1.0, 100.0, 0.5]);
        var oracle = new LbfgsLowerLevelOracle(problem, new LbfgsOracleOptions { Tolerance = double.Epsilon, MaxIterations = 1000 });
        double[] u = [1.0, -3.0, 2.0], omega = new double[3];
        var report = oracle.Estimate(u, omega);
        Assert.InRange(report.GradientSteps, 2, 200);
        Assert.Equal(problem.Residual(u, omega), oracle.LastResidual);
        Assert.InRange(oracle.LastResidual, 0, 1e-13);
    }

    [Fact]
    public void AStartWhereGIsNotFiniteReturnsNaNAndLeavesOmega()
    {
        // g(1e200, 1e200) = ½·1e400 − 1e400 = ∞ − ∞ = NaN, while ∇ = 1e200 − 1e200 = 0 is finite: the start is evaluated once and
        // the residual reported is NaN (not the 0 of the gradient).
        var oracle = new LbfgsLowerLevelOracle(new DiagonalLowerProblem([1.0]));
        double[] omega = [1e200];
        Assert.Equal(1, oracle.Estimate([1e200], omega).GradientSteps);
        Assert.True(double.IsNaN(oracle.LastResidual));
        Assert.Equal([1e200], omega);
    }
}
