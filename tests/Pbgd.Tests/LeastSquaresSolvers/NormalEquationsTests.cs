using Pbgd.LeastSquares;
using Pbgd.Linalg;
using static Pbgd.Tests.LeastSquaresSolvers.LeastSquaresCases;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// The normal equations where their details show: the refinement step on a consistent system of condition ≈ 1e5 (the
/// Gram's 1e10 is accepted, and Cholesky alone would leave a relative error near κ²·ε ≈ 1e−6), compared with the W that
/// generated the labels; a design without any usable feature (W = 0, rank 0); and the Gram kept between the two
/// systems of one set of weights, which must not leak into a solve at other weights.
public class NormalEquationsTests
{
    private const int N = 300, NVal = 60, M = 6, C = 2;

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(4.0)]
    public void RefinementRecoversTheAccuracyTheSquaredConditionCosts(double gamma)
    {
        // Column 2 = column 3 + 1e−5·noise: κ(X) ≈ 1e5, the Gram's ≈ 1e10 (accepted below 1e12). Y = X·W_true (and
        // Y_val = X_val·W_true) up to rounding, so W_true solves both systems for any ψ and γ; Cholesky alone would miss it
        // by ≈ κ²·ε ≈ 1e−6, one refinement step against the data's residual brings that to ≈ κ·ε.
        var data = RealisticData(N, NVal, M, C, seed: 21);
        var random = new Random(4);
        var truth = Enumerable.Range(0, M * C).Select(_ => random.NextDouble() - 0.5).ToArray();
        foreach (var (x, y) in new[] { (data.XTrain, data.YTrain), (data.XValidation, data.YValidation) })
            for (int i = 0; i < x.Rows; i++)
            {
                x[i, 2] = x[i, 3] + 1e-5 * (random.NextDouble() - 0.5);
                for (int q = 0; q < C; q++) y[i, q] = Enumerable.Range(0, M).Sum(j => x[i, j] * truth[j * C + q]);
            }
        var psi = Weights(N, seed: 6);
        var w = new double[M * C];
        var info = Solve(Only("normal", data), psi, gamma, 0, w);
        Assert.Equal(("normal", M), (info.Solver, info.Rank));
        Assert.True(RelativeDifference(w, truth) <= 1e-8, $"‖W − W_true‖/‖W_true‖ = {RelativeDifference(w, truth):E2}");
    }

    [Fact]
    public void NoUsableFeatureGivesZeroWeightsAndRankZero()
    {
        var (x, y, xv, yv) = (new Matrix(5, 3), new Matrix(5, 2), new Matrix(2, 3), new Matrix(2, 2));
        for (int i = 0; i < 5; i++) (y[i, 0], y[i, 1]) = (i, 1);
        var chain = Only("normal", new LeastSquaresData(x, y, xv, yv));
        var w = Enumerable.Repeat(7.0, 6).ToArray(); // garbage from an earlier solve must not survive
        var info = chain.Solve(LeastSquaresSystem.Lower([0.5, 0.5, 0.5, 0.5, 0.5], 0), w);
        Assert.Equal(("normal", 0, false), (info.Solver, info.Rank, info.FullRank));
        Assert.All(w, v => Assert.Equal(0.0, v));
        // With a ridge every feature is determined (W = 0 still: X = 0).
        w.AsSpan().Fill(7);
        Assert.Equal(3, chain.Solve(LeastSquaresSystem.Lower([0.5, 0.5, 0.5, 0.5, 0.5], 0.1), w).Rank);
        Assert.All(w, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void TheKeptGramServesOnlyItsOwnWeights()
    {
        // System 2, system 1 at the same ψ (Gram kept), then system 1 at ψ with one weight changed, then back: each
        // against the plain-loop reference.
        var data = RealisticData(N, NVal, M, C, seed: 13);
        var chain = Only("normal", data);
        var psi = Weights(N, seed: 3);
        var other = (double[])psi.Clone();
        other[N - 1] *= 0.25;
        foreach (var (weights, gamma) in new[] { (psi, 3.0), (psi, double.NaN), (other, double.NaN), (psi, 3.0), (other, 0.0) })
        {
            var w = new double[M * C];
            Solve(chain, weights, gamma, 0.05, w);
            var reference = PlainLoopSolution(data, weights, gamma, 0.05);
            Assert.True(RelativeDifference(w, reference) <= 1e-10, $"γ = {gamma}: {RelativeDifference(w, reference):E2}");
        }
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("cg")]
    public void MoreThanOneBlockOfRowsIsAccumulated(string solver)
    {
        // 1 100 training and 1 100 validation rows: more than one block of 512 (the normal equations) and of 1 024
        // (cg's validation Gram), and several fixed parts of the training rows.
        var data = RealisticData(1100, 1100, M, C, seed: 2);
        var psi = Weights(1100, seed: 4);
        foreach (double gamma in new[] { 2.0, double.NaN })
        {
            var w = new double[M * C];
            Solve(Only(solver, data), psi, gamma, 0.1, w);
            Assert.True(RelativeDifference(w, PlainLoopSolution(data, psi, gamma, 0.1)) <= 1e-9, $"γ = {gamma}: {RelativeDifference(w, PlainLoopSolution(data, psi, gamma, 0.1)):E2}");
        }
    }
}
