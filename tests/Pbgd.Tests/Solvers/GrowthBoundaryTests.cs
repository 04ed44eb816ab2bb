using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;

namespace Pbgd.Tests.Solvers;

/// PBGD-B's growth stop at its exact boundary: h = f + γg at fixed u may rise in one gradient v-step by up to
/// 100·max(1, |h_start|) and no more (docs/algorithms.md, stopping rules).
public sealed class GrowthBoundaryTests
{
    /// f = fs[round(v)] reported with ∇_v f = −1 (∇_u f = 0), g = 1 everywhere (zero gradients), ω = 0: with α = 1 and one
    /// inner step, PBGD-B's v-step goes from v = 0 to v = 1, and h = f + 2g (γ = 2) goes from fs[0] + 2 to fs[1] + 2.
    private sealed class VScripted(double[] fs) : IBilevelProblem, IExactLowerLevel
    {
        public int UpperDimension => 1;
        public int LowerDimension => 1;

        public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
        {
            if (!gradU.IsEmpty) gradU[0] = 0;
            if (!gradV.IsEmpty) gradV[0] = -1;
            return fs[(int)Math.Round(v[0])];
        }

        public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
        {
            if (!gradU.IsEmpty) gradU[0] = 0;
            if (!gradV.IsEmpty) gradV[0] = 0;
            return 1;
        }

        public void ProjectUpper(Span<double> u) { }
        public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => new(1, 1, 1, IsLocal: false);
        public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar) { vStar[0] = 0; return new(LowerSolveInfo.ClosedForm, 1, true); }
    }

    private static SolverResult Run(double f0, double f1)
    {
        var problem = new VScripted([f0, f1]);
        return new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), new PbgdOptions
        {
            Penalty = PenaltySchedule.Constant(2), StepSize = 1, LowerStepIterations = 1, MaxIterations = 0,
        }).Run([0.0], [0.0]);
    }

    [Theory]
    [InlineData(-1.5, 98.5)] // h: 0.5 → 100.5 = 0.5 + 100·1 (|h| < 1: the allowance is 100)
    [InlineData(1.0, 301.0)] // h: 3 → 303 = 3 + 100·3
    [InlineData(-7.0, 493.0)] // h: −5 → 495 = −5 + 100·5
    public void ARiseOfExactlyTheAllowanceIsAcceptedAndAnyMoreStops(double f0, double f1)
    {
        var accepted = Run(f0, f1);
        Assert.Equal(StopReason.MaxIterations, accepted.StopReason);
        Assert.Equal([1.0], accepted.V);

        var grown = Run(f0, Math.BitIncrement(f1));
        Assert.Equal((StopReason.Growing, 0), (grown.StopReason, grown.Iterations));
        // The point the v-step started from, with f and g measured there and L_γ = f + γ(g − g*) = f0 (g = g* = 1).
        Assert.Equal([0.0], grown.V);
        Assert.Equal((f0, 1.0, 1.0, f0), (grown.Final.Upper, grown.Final.Lower, grown.Final.LowerOptimal, grown.Final.Penalized));
        Assert.True(double.IsNaN(grown.Final.GradientNorm) && double.IsNaN(grown.Final.UpperBlockGradientNorm) && double.IsNaN(grown.Final.LowerBlockGradientNorm));
    }
}
