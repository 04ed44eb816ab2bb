using System.Text.Json.Nodes;
using Pbgd.Checkpoints;
using Pbgd.LowerLevel;

namespace Pbgd.Tests.LowerLevel;

/// The iterative oracle on g(u, v) = Σ ½aᵢvᵢ² − uᵢvᵢ with a = (1, 4) and u = (1, 1) (see DiagonalLowerProblem): v* = (1, ¼),
/// the derived step is β = 1/ℓ = ¼, so one step puts ω₁ on ¼ for good and multiplies ω₀'s error by ¾. All the numbers
/// below are dyadic, so the iterates and residuals are exact in floating point: from a cold start ω_T = (1 − ¾^T, ¼)
/// and ‖∇_v g(u, ω_T)‖ = ¾^T for T ≥ 1.
public class IterativeLowerLevelOracleTests
{
    private static readonly double[] U = [1.0, 1.0];

    private static double Pow(int t) => Math.Pow(0.75, t);

    [Fact]
    public void AColdStartTakesTStepsOfOneOverEllFromZero()
    {
        var problem = new DiagonalLowerProblem([1.0, 4.0]);
        var oracle = new IterativeLowerLevelOracle(problem, new IterativeOracleOptions { Steps = 3, WarmStart = false });
        Assert.True(double.IsNaN(oracle.StepSize), "no step before the first call");
        double[] omega = [5.0, -7.0];   // ignored by a cold start
        var report = oracle.Estimate(U, omega);
        Assert.Equal(new OracleReport(3, -1, true), report);
        Assert.Equal(0.25, oracle.StepSize);
        Assert.Equal([1 - Pow(3), 0.25], omega);
        Assert.Equal(3, problem.LowerCalls);
        // A second cold call starts from zero again: the same point.
        oracle.Estimate(U, omega);
        Assert.Equal([1 - Pow(3), 0.25], omega);
        Assert.False(oracle.IsExact);
        Assert.Equal("iterative(T=3, cold)", oracle.Name);
    }

    [Fact]
    public void AWarmStartContinuesFromThePreviousEstimate()
    {
        var problem = new DiagonalLowerProblem([1.0, 4.0]);
        var oracle = new IterativeLowerLevelOracle(problem, new IterativeOracleOptions { Steps = 2 });
        double[] omega = [5.0, -7.0];
        oracle.Estimate(U, omega);
        // ω_T − v* = (¾^T·(5 − 1), 0).
        Assert.Equal([1 + 4 * Pow(2), 0.25], omega);
        oracle.Estimate(U, omega);
        Assert.Equal([1 + 4 * Pow(4), 0.25], omega);
        Assert.Equal("iterative(T=2, warm)", oracle.Name);
    }

    [Fact]
    public void AFixedStepIsUsedAsGivenAndNoSmoothnessIsAsked()
    {
        var problem = new DiagonalLowerProblem([1.0, 4.0]);
        var oracle = new IterativeLowerLevelOracle(problem, new IterativeOracleOptions { StepSize = 0.5, Steps = 1, WarmStart = false });
        double[] omega = new double[2];
        oracle.Estimate(U, omega);
        // ω = 0 − ½(a∘0 − u) = (½, ½).
        Assert.Equal([0.5, 0.5], omega);
        Assert.Equal(0.5, oracle.StepSize);
        Assert.Equal(0, problem.SmoothnessCalls);
    }

    [Fact]
    public void AGlobalSmoothnessEstimateIsAskedOnceAndALocalOneEveryCall()
    {
        var global = new DiagonalLowerProblem([1.0, 4.0]);
        var oracle = new IterativeLowerLevelOracle(global);
        var omega = new double[2];
        for (int k = 0; k < 3; k++) oracle.Estimate(U, omega);
        Assert.Equal(1, global.SmoothnessCalls);

        var local = new DiagonalLowerProblem([1.0, 4.0]) { LocalSmoothness = true };
        var refreshing = new IterativeLowerLevelOracle(local);
        refreshing.Estimate(U, omega);
        Assert.Equal(0.25, refreshing.StepSize);
        local.Lipschitz = 8;
        refreshing.Estimate(U, omega);
        refreshing.Estimate(U, omega);
        Assert.Equal(3, local.SmoothnessCalls);
        Assert.Equal(0.125, refreshing.StepSize);
    }

    [Fact]
    public void ToleranceModeStopsAtTheFirstIterateWhoseResidualIsAtMostTheTolerance()
    {
        // Boundary: the tolerance is exactly ‖∇_v g(u, ω₃)‖ = ¾³ = 0.421875, so the third iterate stops the call
        // (≤, not <): three steps, not four.
        var problem = new DiagonalLowerProblem([1.0, 4.0]);
        var oracle = new IterativeLowerLevelOracle(problem,
            new IterativeOracleOptions { Tolerance = Pow(3), WarmStart = false, MaxSteps = 100 });
        double[] omega = new double[2];
        var report = oracle.Estimate(U, omega);
        Assert.Equal(3, report.GradientSteps);
        Assert.Equal([1 - Pow(3), 0.25], omega);
        Assert.Equal(Pow(3), problem.Residual(U, omega));
        // The gradient at ω₃ is evaluated to test it: three steps, four evaluations.
        Assert.Equal(4, problem.LowerCalls);
        Assert.Equal("iterative(T=1, tol=0.421875, cold)", oracle.Name);
    }

    [Theory]
    // Tolerance mode takes max(T, MaxSteps) steps when the tolerance is out of reach (¾⁹ ≫ 1e−300).
    [InlineData(5, 2, 5)]
    [InlineData(2, 7, 7)]
    public void ToleranceModeTakesAtMostTheLargerOfTAndMaxSteps(int steps, int maxSteps, int expected)
    {
        var problem = new DiagonalLowerProblem([1.0, 4.0]);
        var oracle = new IterativeLowerLevelOracle(problem,
            new IterativeOracleOptions { Steps = steps, MaxSteps = maxSteps, Tolerance = 1e-300, WarmStart = false });
        double[] omega = new double[2];
        Assert.Equal(expected, oracle.Estimate(U, omega).GradientSteps);
        Assert.Equal([1 - Pow(expected), 0.25], omega);
    }

    [Fact]
    public void WithoutAToleranceMaxStepsIsIgnored()
    {
        var problem = new DiagonalLowerProblem([1.0, 4.0]);
        var oracle = new IterativeLowerLevelOracle(problem, new IterativeOracleOptions { Steps = 2, MaxSteps = 7 });
        Assert.Equal(2, oracle.Estimate(U, new double[2]).GradientSteps);
    }

    [Fact]
    public void ASavedStateRoundTripsTheDerivedStepAndItsLocality()
    {
        var problem = new DiagonalLowerProblem([1.0, 4.0]) { LocalSmoothness = true };
        var oracle = new IterativeLowerLevelOracle(problem);
        Assert.Equal(new IterativeLowerLevelOracle.State(double.NaN, false),
            StateJson.FromNode<IterativeLowerLevelOracle.State>(oracle.SaveState(), "state"));
        oracle.Estimate(U, new double[2]);
        Assert.Equal(new IterativeLowerLevelOracle.State(0.25, true),
            StateJson.FromNode<IterativeLowerLevelOracle.State>(oracle.SaveState(), "state"));
    }

    [Fact]
    public void ARestoredGlobalStepIsUsedWithoutAskingTheProblemAgain()
    {
        // The problem would give β = 1/4; the restored β = ½ is kept (a global estimate is not re-derived).
        var problem = new DiagonalLowerProblem([1.0, 4.0]);
        var oracle = new IterativeLowerLevelOracle(problem, new IterativeOracleOptions { WarmStart = false });
        oracle.RestoreState(StateJson.ToNode(new IterativeLowerLevelOracle.State(0.5, false)));
        double[] omega = new double[2];
        oracle.Estimate(U, omega);
        Assert.Equal([0.5, 0.5], omega);
        Assert.Equal(0, problem.SmoothnessCalls);

        // A restored local one is re-derived at the next call; a restored NaN (saved before the first call) too.
        foreach (var state in new[] { new IterativeLowerLevelOracle.State(0.5, true), new IterativeLowerLevelOracle.State(double.NaN, false) })
        {
            var fresh = new DiagonalLowerProblem([1.0, 4.0]);
            var resumed = new IterativeLowerLevelOracle(fresh);
            resumed.RestoreState(StateJson.ToNode(state));
            Assert.Equal(state.StepSize, resumed.StepSize);
            resumed.Estimate(U, new double[2]);
            Assert.Equal(0.25, resumed.StepSize);
            Assert.Equal(1, fresh.SmoothnessCalls);
        }
    }

    [Fact]
    public void AnUnreadableStateIsRefusedNamingTheOracle()
    {
        var oracle = new IterativeLowerLevelOracle(new DiagonalLowerProblem([1.0, 4.0]));
        var ex = Assert.Throws<InvalidDataException>(() => oracle.RestoreState(new JsonObject { ["stepSize"] = 0.25 }));
        Assert.StartsWith("the iterative oracle's state is not readable", ex.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.25)]
    [InlineData(double.PositiveInfinity)]
    public void ARestoredStepThatIsNotFiniteAndPositiveIsRefused(double step)
    {
        var oracle = new IterativeLowerLevelOracle(new DiagonalLowerProblem([1.0, 4.0]));
        var ex = Assert.Throws<InvalidDataException>(() => oracle.RestoreState(StateJson.ToNode(new IterativeLowerLevelOracle.State(step, false))));
        Assert.Contains("stepSize", ex.Message);
        Assert.True(double.IsNaN(oracle.StepSize), "a refused state must leave the oracle unchanged");
    }
}
