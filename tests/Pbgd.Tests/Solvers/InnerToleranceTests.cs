using Pbgd.LowerLevel;
using Pbgd.Solvers;

namespace Pbgd.Tests.Solvers;

/// The inexact inner solves' tolerances of docs/algorithms.md §3a as numbers: ‖∇_v L_γ‖ ≤ max(κG, floor) for the v-step,
/// ‖∇_v g‖ ≤ max(κG/γ, floor) for a toleranced oracle (+∞ at γ = 0), the floor and a relative κ before any G; and the
/// check of a point's residuals against them, up to a slack, at its exact boundaries.
public sealed class InnerToleranceTests
{
    private static readonly PbgdOptions Options = new() { UpperStep = UpperStepRule.Lbfgs, InnerToleranceFactor = 0.5, InnerToleranceFloor = 0.25 };

    // PBGD-B without an exact v-step (an L-BFGS v-step) and with the L-BFGS oracle (a toleranced one, floor ½).
    private static (PbgdBlockwise Solver, PbgdState State) Inexact()
    {
        var q = BoxQuadraticProblem.Small();
        var problem = new BoxQuadraticProblem(q.B, 2, 3, q.A, q.C, q.Lo, q.Hi, q.Given) { OfferExactPenalized = false };
        var solver = new PbgdBlockwise(problem, new LbfgsLowerLevelOracle(problem, new LbfgsOracleOptions { Tolerance = 0.5 }), Options);
        return (solver, solver.Init([0.1, 0.1], [0, 0, 0]));
    }

    [Theory]
    [InlineData(double.NaN, 2.0, false, 0.25, 0.5)]    // no G yet: the floor, and a reduction by κ
    [InlineData(double.NaN, 2.0, true, 0.25, 0.5)]
    [InlineData(4.0, 2.0, false, 2.0, 0.0)]           // κG = 2
    [InlineData(4.0, 2.0, true, 1.0, 0.0)]            // κG/γ = 1
    [InlineData(4.0, 0.0, true, double.PositiveInfinity, 0.0)] // γ = 0: g* does not enter L_γ
    [InlineData(0.25, 2.0, false, 0.25, 0.0)]         // κG = 0.125 is below the floor
    [InlineData(1.0, 4.0, true, 0.25, 0.0)]           // κG/γ = 0.125 is below the floor
    public void TheToleranceOfReferenceGIsKappaGOrTheFloor(double reference, double gamma, bool oracle, double absolute, double relative)
    {
        var (solver, _) = Inexact();
        Assert.Equal((absolute, relative), solver.InnerTolerance(reference, gamma, oracle));
    }

    [Fact]
    public void AResidualExactlyAtSlackTimesItsToleranceIsWithinAndTheNextNumberIsNot()
    {
        var (solver, state) = Inexact();
        Assert.True(solver.HasInexactInnerSolves(state));
        // G = 4, γ = 2, slack 2: v-step 2·max(2, ¼) = 4; oracle 2·max(½, max(1, ¼)) = 2.
        IterationRecord Point(double lower, double oracle) => new(0, 0, 2, 0, 0, 0, 0, 0, 0, 0, lower, oracle, 0, -1);
        Assert.True(solver.InnerResidualsWithin(state, Point(4, 2), 4, 2));
        Assert.False(solver.InnerResidualsWithin(state, Point(Math.BitIncrement(4.0), 2), 4, 2));
        Assert.False(solver.InnerResidualsWithin(state, Point(4, Math.BitIncrement(2.0)), 4, 2));
        Assert.False(solver.InnerResidualsWithin(state, Point(double.NaN, 2), 4, 2)); // an unmeasured residual is not within
        // The oracle's own floor (½) governs when the tolerance is below it: G = ¼, γ = 8 → max(½, max(1/64, ¼)) = ½.
        IterationRecord AtGamma8(double oracle) => new(0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, oracle, 0, -1);
        Assert.True(solver.InnerResidualsWithin(state, AtGamma8(0.5), 0.25, 1));
        Assert.False(solver.InnerResidualsWithin(state, AtGamma8(Math.BitIncrement(0.5)), 0.25, 1));
    }

    [Fact]
    public void ExactInnerSolvesAreAlwaysWithin()
    {
        var q = BoxQuadraticProblem.Small();
        var solver = new PbgdBlockwise(q, new ExactLowerLevelOracle(q), Options);
        var state = solver.Init([0.1, 0.1], [0, 0, 0]);
        Assert.False(solver.HasInexactInnerSolves(state));
        Assert.True(solver.InnerResidualsWithin(state, new IterationRecord(0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1e9, 1e9, 0, -1), 1e-9, 1));
        // Under the fixed step the oracle keeps its own tolerance: a toleranced oracle is not driven then.
        var oracle = new LbfgsLowerLevelOracle(q, new LbfgsOracleOptions { Tolerance = 0.125 });
        var fixedStep = new PbgdBlockwise(q, oracle, new PbgdOptions());
        Assert.False(fixedStep.HasInexactInnerSolves(fixedStep.Init([0.1, 0.1], [0, 0, 0])));
        var exactJacobi = new PbgdJacobi(q, new ExactLowerLevelOracle(q), Options);
        Assert.False(exactJacobi.HasInexactInnerSolves(exactJacobi.Init([0.1, 0.1], [0, 0, 0]))); // PBGD-J has no v-step to solve
        var jacobi = new PbgdJacobi(q, oracle, Options);
        Assert.True(jacobi.HasInexactInnerSolves(jacobi.Init([0.1, 0.1], [0, 0, 0])));
    }
}
