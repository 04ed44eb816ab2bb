using Pbgd.LeastSquares;
using static Pbgd.Tests.LeastSquaresSolvers.LeastSquaresCases;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// Conjugate gradients' work where it is bounded by hand: a preconditioner factored at the solve's own weights is the
/// system up to a shift of 1e−7 of the largest diagonal (and float rounding of the same order), so the preconditioned
/// system's condition number is 1 + O(1e−7·κ) and each step cuts the error by about that factor: two steps reach the
/// 1e−11 tolerance on these well-conditioned designs. A stale preconditioner that misses within the step cap gets one
/// refreshed retry. An output column of zeros (b = 0) stays exactly zero without disturbing the other columns' α and β.
public class PcgBehaviourTests
{
    private const int N = 200, NVal = 40, M = 8, C = 3;

    [Fact]
    public void AFreshPreconditionerSolvesInAtMostTwoSteps()
    {
        var data = RealisticData(N, NVal, M, C, seed: 17);
        var chain = LeastSquaresRegistry.Build("cg,svd", data);
        var cg = chain.Find<ConjugateGradientSolver>()!;
        cg.RefreshEvery = 1; // every solve refreshes at its own weights (and refactors system 2 at its own γ)
        var psi = Weights(N, seed: 3);
        var random = new Random(8);
        for (int k = 0; k < 4; k++)
        {
            Drift(psi, random);
            double gamma = 2 + 3 * k; // more than 10 % apart: refactored each time
            foreach (double g in new[] { gamma, double.NaN })
            {
                if (double.IsNaN(g)) Drift(psi, random); // system 1 at new weights: solved, not handed out
                var w = new double[M * C];
                Assert.Equal("cg", Solve(chain, psi, g, 0.05, w).Solver);
                Assert.InRange(cg.LastSteps, 1, 2);
                Assert.True(RelativeDifference(w, PlainLoopSolution(data, psi, g, 0.05)) <= 1e-8);
            }
        }
        Assert.Equal(8, cg.Refreshes);
        Assert.Equal(0, cg.Fallbacks);
    }

    [Fact]
    public void AStalePreconditionerThatMissesIsRefreshedAndTheSolveRetried()
    {
        var data = RealisticData(N, NVal, M, C, seed: 17);
        var options = new LeastSquaresOptions { ConjugateGradientMaxSteps = 1 }; // three rounds of one step each
        var chain = LeastSquaresRegistry.Build("cg,svd", data, options);
        var cg = chain.Find<ConjugateGradientSolver>()!;
        var psi = Weights(N, seed: 3);
        Assert.Equal("cg", Solve(chain, psi, double.NaN, 0, new double[M * C]).Solver);
        Assert.Equal(1, cg.Refreshes);
        // Weights far from those of the factor: the rows with x_i0 > 0 nearly switched off.
        var far = psi.Select((v, i) => data.XTrain[i, 0] > 0 ? v * 1e-3 : v).ToArray();
        var w = new double[M * C];
        Assert.Equal("cg", Solve(chain, far, double.NaN, 0, w).Solver);
        Assert.Equal(2, cg.Refreshes);  // the stale factor missed; refreshed once
        Assert.Equal(0, cg.Fallbacks);
        Assert.Equal((2, cg.Totals.Steps), cg.Totals);
        Assert.True(RelativeDifference(w, PlainLoopSolution(data, far, double.NaN, 0)) <= 1e-8);
    }

    [Fact]
    public void AZeroOutputColumnStaysZeroAndTheOthersAreSolved()
    {
        var data = RealisticData(N, NVal, M, C, seed: 17);
        for (int i = 0; i < N; i++) data.YTrain[i, 1] = 0;
        for (int i = 0; i < NVal; i++) data.YValidation[i, 1] = 0;
        var chain = LeastSquaresRegistry.Build("cg", data);
        var psi = Weights(N, seed: 3);
        foreach (double gamma in new[] { 3.0, double.NaN, 5.0 })
        {
            var w = new double[M * C];
            Assert.Equal("cg", Solve(chain, psi, gamma, 0.1, w).Solver);
            for (int j = 0; j < M; j++) Assert.Equal(0.0, w[j * C + 1]);
            Assert.True(RelativeDifference(w, PlainLoopSolution(data, psi, gamma, 0.1)) <= 1e-8);
            psi[0] *= 0.9;
        }
    }

    [Fact]
    public void TheTimingsOfEachPhaseAccumulate()
    {
        var data = RealisticData(N, NVal, M, C, seed: 17);
        var chain = LeastSquaresRegistry.Build("cg", data);
        var cg = chain.Find<ConjugateGradientSolver>()!;
        Solve(chain, Weights(N, seed: 3), 3, 0, new double[M * C]);
        var first = (double[])cg.PhaseSeconds.Clone();
        double refresh = cg.RefreshSeconds;
        Assert.All(first, s => Assert.True(s > 0, $"{s}"));
        Assert.True(refresh > 0);
        Solve(chain, Weights(N, seed: 4), 3, 0, new double[M * C]);
        for (int k = 0; k < 3; k++) Assert.True(cg.PhaseSeconds[k] > first[k], $"phase {k}: {cg.PhaseSeconds[k]} after {first[k]}");
    }
}
