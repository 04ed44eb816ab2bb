using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Solvers;

namespace Pbgd.Tests.Solvers;

/// RXGF's own stops at their edges: divergence when any one of f, g and the KKT residual stops being finite, and the
/// infeasible direction problem (∇h = 0) only while h > ε strictly.
public sealed class RxgfEdgeTests
{
    /// f = fs[k] with ∇_u f = −ds[k], g = gs[k] + ½‖v‖² (∇_u g = 0): from v = 0, h = 0 < ε and λ = 0, so with η = 1 RXGF moves
    /// u by ds[k]·1 = 1 per iteration, and point k reads the k-th entries.
    private sealed class Scripted(double[] fs, double[] gs, double[] ds) : IBilevelProblem, IExactLowerLevel, ILowerLevelSecondOrder
    {
        private static int K(ReadOnlySpan<double> u) => (int)Math.Round(u[0]);

        public int UpperDimension => 1;
        public int LowerDimension => 1;

        public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
        {
            if (!gradU.IsEmpty) gradU[0] = -ds[K(u)];
            if (!gradV.IsEmpty) gradV[0] = 0;
            return fs[K(u)];
        }

        public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
        {
            if (!gradU.IsEmpty) gradU[0] = 0;
            if (!gradV.IsEmpty) gradV[0] = v[0];
            return gs[K(u)] + 0.5 * v[0] * v[0];
        }

        public void ProjectUpper(Span<double> u) { }
        public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => new(1, 1, 1, IsLocal: false);
        public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar) { vStar[0] = 0; return new(LowerSolveInfo.ClosedForm, 1, true); }
        public void LowerHessianVV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination) => w.CopyTo(destination);
        public void LowerMixedTransposeVU(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination) => destination.Clear();
        public void LowerMixedTransposeUV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> z, Span<double> destination) => destination.Clear();
    }

    [Theory]
    [InlineData("f")]
    [InlineData("g")]
    [InlineData("kkt")]
    public void AnyOneNonFiniteMeasureStopsTheRunAtThePointBefore(string which)
    {
        double[] fs = [3, 2, 1, 0], gs = [0, 0, 0, 0], ds = [1, 1, 1, 1];
        switch (which)
        {
            case "f": fs[2] = double.PositiveInfinity; break;
            case "g": gs[2] = double.NaN; break;
            default: ds[2] = 1e200; break; // f and g finite, the squared KKT residual ((1e200)²) is not
        }
        var problem = new Scripted(fs, gs, ds);
        var result = new Rxgf(problem, new ExactLowerLevelOracle(problem), new RxgfOptions { Backtracking = false, KktTolerance = null, MaxIterations = 3 })
            .Run([0.0], [0.0]);
        Assert.Equal((StopReason.Diverged, 1), (result.StopReason, result.Iterations));
        Assert.Equal([1.0], result.U);
        Assert.Equal((2.0, 1.0), (result.Final.Upper, result.Final.KktResidual)); // point 1: f = 2, KKT² = ‖G_u‖² = 1
    }

    [Fact]
    public void AllFiniteMeasuresRunToTheLimit()
    {
        var problem = new Scripted([3, 2, 1, 0], [0, 0, 0, 0], [1, 1, 1, 1]);
        var result = new Rxgf(problem, new ExactLowerLevelOracle(problem), new RxgfOptions { Backtracking = false, KktTolerance = null, MaxIterations = 3 })
            .Run([0.0], [0.0]);
        Assert.Equal((StopReason.MaxIterations, 3, 0.0), (result.StopReason, result.Iterations, result.Final.Upper));
        Assert.All(result.History.Records.ToArray(), r => Assert.Equal((0.0, 1.0, 1.0), (r.Gamma, r.StepSize, r.KktResidual)));
    }

    // g = 1ᵀv: ∇_v g = (1, 1) everywhere, so h = 2 and ∇h = 0; with an exact lower level (v* = 0, closed form).
    private sealed class Linear : LinearLowerLevel, IExactLowerLevel
    {
        public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar) { vStar.Clear(); return new(LowerSolveInfo.ClosedForm, 2, true); }
    }

    [Fact]
    public void TheDirectionProblemIsInfeasibleOnlyWhileHExceedsEpsilon()
    {
        var problem = new Linear();
        SolverResult Solve(double epsilon) => new Rxgf(problem, new ExactLowerLevelOracle(problem),
            new RxgfOptions { Epsilon = epsilon, KktTolerance = null, MaxIterations = 2 }).Run([0.5], [1.0, 2.0]);
        // h = 2 = ε: the constraint holds (with equality), λ = 0, and the run steps on f alone.
        var atBoundary = Solve(2);
        Assert.Equal((StopReason.MaxIterations, 2), (atBoundary.StopReason, atBoundary.Iterations));
        Assert.All(atBoundary.History.Records.ToArray(), r => Assert.Equal(0, r.Gamma));
        var violated = Solve(Math.BitDecrement(2.0));
        Assert.Equal((StopReason.ConstraintQpInfeasible, 0), (violated.StopReason, violated.Iterations));
        Assert.Equal([0.5], violated.U);
        Assert.Equal(0, violated.Final.LowerOptimal);
    }
}
