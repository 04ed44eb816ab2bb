using Pbgd.LeastSquares;
using static Pbgd.Tests.LeastSquaresSolvers.LeastSquaresCases;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// The fallback order of a chain: which member answers, which were attempted, and when a member is skipped.
public class ChainTests
{
    private const int N = 300, NVal = 80, M = 12, C = 3;

    [Fact]
    public void QrFallsToTheSvdOnARankDeficientDesignAndLeavesThatSystemToItFromThenOn()
    {
        var data = RankDeficient(N, NVal, M, C, seed: 12);
        var chain = LeastSquaresRegistry.Build("qr", data);
        Assert.Equal("qr,svd", chain.Spec.Text);
        var psi = Weights(N, seed: 4);
        var w = new double[M * C];
        for (int solve = 0; solve < 3; solve++)
        {
            var info = Solve(chain, psi, double.NaN, 0, w);
            Assert.Equal(("svd", M - 3, false), (info.Solver, info.Rank, info.FullRank)); // two zero columns, one dependent
        }
        Assert.Equal(1, chain.Attempts["qr"]); // gels met the zero pivot once; system 1 then went straight to the SVD
        Assert.Equal(new Dictionary<string, long> { ["qr"] = 0, ["svd"] = 3 }, chain.SolveCounts);
        // System 2 has its own flag: QR is tried on it once too.
        Solve(chain, psi, 10, 0, w);
        Assert.Equal(2, chain.Attempts["qr"]);
        Assert.Equal((true, true), chain.Find<QrSolver>()!.RankDeficient);
    }

    [Fact]
    public void RejectedNormalEquationsGoToConjugateGradients()
    {
        var data = RankDeficient(N, NVal, M, C, seed: 12);
        var chain = LeastSquaresRegistry.Build("normal,cg,svd", data);
        var psi = Weights(N, seed: 4);
        var w = new double[M * C];
        var info = Solve(chain, psi, 10, 0, w);
        Assert.Equal(("cg", M - 2), (info.Solver, info.Rank)); // the zero columns drop out; the dependent one stays
        Assert.Equal(new Dictionary<string, long> { ["normal"] = 1, ["cg"] = 1, ["svd"] = 0 }, chain.Attempts);
        // Without a retry count the normal equations are tried (and rejected) at every solve.
        Solve(chain, psi, double.NaN, 0, w);
        Assert.Equal(2, chain.Attempts["normal"]);
        Assert.Equal(0, chain.SolveCounts["normal"]);
    }

    [Fact]
    public void AFailedLinkWithARetryCountIsSkippedForThatManySolves()
    {
        var data = RankDeficient(N, NVal, M, C, seed: 12);
        var chain = LeastSquaresRegistry.Build("normal:3,cg,svd", data);
        var psi = Weights(N, seed: 4);
        var random = new Random(2);
        var tried = new List<int>();
        for (int solve = 0; solve < 10; solve++)
        {
            Drift(psi, random);
            long before = chain.Attempts["normal"];
            Assert.Equal("cg", Solve(chain, psi, solve % 2 == 0 ? 10 : double.NaN, 0, new double[M * C]).Solver);
            if (chain.Attempts["normal"] > before) tried.Add(solve);
        }
        Assert.Equal([0, 4, 8], tried);
    }

    [Fact]
    public void ConjugateGradientsThatCannotReachTheirToleranceHandTheSystemOn()
    {
        // Column 0 scaled by 1e−4: its diagonal falls below the preconditioner's shift, so CG needs several steps, and
        // one step per round (the cap) leaves the backward error near 1e−6, far above 1e−11.
        var data = RealisticData(N, NVal, M, C, seed: 12);
        foreach (var x in new[] { data.XTrain, data.XValidation })
            for (int i = 0; i < x.Rows; i++) x[i, 0] *= 1e-4;
        var psi = Weights(N, seed: 3);
        var capped = LeastSquaresRegistry.Build("cg,svd", data, new LeastSquaresOptions { ConjugateGradientMaxSteps = 1 });
        var w = new double[M * C];
        Assert.Equal("svd", Solve(capped, psi, 10, 0, w).Solver);
        Assert.Equal(1, capped.Find<ConjugateGradientSolver>()!.Fallbacks);
        Assert.Equal(new Dictionary<string, long> { ["cg"] = 1, ["svd"] = 1 }, capped.Attempts);
        // The same system without the cap: CG answers, and agrees with the SVD's solution.
        var free = LeastSquaresRegistry.Build("cg,svd", data);
        var wc = new double[M * C];
        Assert.Equal("cg", Solve(free, psi, 10, 0, wc).Solver);
        Assert.True(RelativeDifference(wc, w) <= 1e-7, $"‖W_cg − W_svd‖/‖W_svd‖ = {RelativeDifference(wc, w):E2}");
    }

    [Fact]
    public void AutoAnswersByQrWhenTheNormalEquationsAreRejectedAndConjugateGradientsMiss()
    {
        // auto's third link: column 0 scaled by 1e−7 keeps X of full rank (condition ~1e7, which Householder QR solves to
        // ~1e−9) while XᵀΨX's condition ~1e14 exceeds the normal equations' 1e12, and CG capped at one step misses its
        // 1e−11. QR must answer with full rank, and its solution must be the SVD's (an independent LAPACK algorithm).
        // Before, the normal equations dropped column 0 as "negligible" (diagonal below 1e−14 of the largest) and answered
        // with rank 11 and a weighted residual 2 % above the minimum (69.93 against 68.59).
        var data = RealisticData(N, NVal, M, C, seed: 12);
        foreach (var x in new[] { data.XTrain, data.XValidation })
            for (int i = 0; i < x.Rows; i++) x[i, 0] *= 1e-7;
        var psi = Weights(N, seed: 3);
        var auto = LeastSquaresRegistry.Build("auto", data, new LeastSquaresOptions { ConjugateGradientMaxSteps = 1 });
        var svd = Only("svd", data);
        foreach (double gamma in new[] { 10, double.NaN })
        {
            var (w, reference) = (new double[M * C], new double[M * C]);
            var info = Solve(auto, psi, gamma, 0, w);
            Solve(svd, psi, gamma, 0, reference);
            Assert.Equal(("qr", M, true), (info.Solver, info.Rank, info.FullRank));
            Assert.True(RelativeDifference(w, reference) <= 1e-7, $"γ = {gamma}: ‖W_qr − W_svd‖/‖W_svd‖ = {RelativeDifference(w, reference):E2}");
        }
        // The first solve tried the normal equations (rejected: 50 solves skipped after), CG (missed) and QR; the second
        // skipped the normal equations.
        Assert.Equal(new Dictionary<string, long> { ["normal"] = 1, ["cg"] = 2, ["qr"] = 2, ["svd"] = 0 }, auto.Attempts);
        Assert.Equal(new Dictionary<string, long> { ["normal"] = 0, ["cg"] = 0, ["qr"] = 2, ["svd"] = 0 }, auto.SolveCounts);
        Assert.Equal(2, auto.Find<ConjugateGradientSolver>()!.Fallbacks);
    }

    [Fact]
    public void SystemTwoAtGammaZeroSkipsConjugateGradientsAndQr()
    {
        var data = RealisticData(N, NVal, M, C, seed: 12);
        var chain = LeastSquaresRegistry.Build("cg,qr,svd", data);
        var info = Solve(chain, Weights(N, seed: 3), 0, 0.1, new double[M * C]);
        Assert.Equal("svd", info.Solver);
        Assert.Equal(new Dictionary<string, long> { ["cg"] = 0, ["qr"] = 0, ["svd"] = 1 }, chain.Attempts);
    }

    [Fact]
    public void AChainWhoseMembersAllFailSaysSo()
    {
        var data = RankDeficient(N, NVal, M, C, seed: 12);
        var chain = LeastSquaresRegistry.Build("normal", data);
        var error = Assert.Throws<InvalidOperationException>(() => Solve(chain, Weights(N, seed: 4), double.NaN, 0, new double[M * C]));
        Assert.Contains("'normal'", error.Message);
        Assert.Contains("svd", error.Message);
    }

    [Fact]
    public void ShapesAreChecked()
    {
        var chain = LeastSquaresRegistry.Build("auto", RealisticData(N, NVal, M, C, seed: 1));
        Assert.Throws<ArgumentException>(() => Solve(chain, new double[N - 1], double.NaN, 0, new double[M * C]));
        Assert.Throws<ArgumentException>(() => Solve(chain, Weights(N, 1), double.NaN, 0, new double[M * C + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Solve(chain, Weights(N, 1), -1, 0, new double[M * C]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Solve(chain, Weights(N, 1), double.NaN, -0.5, new double[M * C]));
    }

    /// The memo of the verifying pass answers by values alone: the same values give the same numbers whatever happened in
    /// between, and any other value — one bit of one weight — gives no answer.
    [Fact]
    public void VerifiedResidualsAnswerByValueOnly()
    {
        var data = RankDeficient(N, NVal, M, C, seed: 12);
        var chain = LeastSquaresRegistry.Build("cg", data);
        var psi = Weights(N, seed: 4);
        var (v, omega) = (new double[M * C], new double[M * C]);
        Solve(chain, psi, 10, 0, v);
        Solve(chain, psi, double.NaN, 0, omega);
        var first = Recall(chain, psi, v, omega);
        Assert.NotNull(first);
        // A backward-error measurement and a solve of system 1 at other weights in between: no effect on the answer.
        var cg = chain.Find<ConjugateGradientSolver>()!;
        cg.BackwardError(LeastSquaresSystem.Penalized(psi, 3, 0), v);
        var other = (double[])psi.Clone();
        other[0] *= 0.5;
        Solve(chain, other, double.NaN, 0, new double[M * C]);
        var again = Recall(chain, psi, v, omega);
        Assert.NotNull(again);
        for (int k = 0; k < 4; k++) Assert.Equal(first[k], again[k]);
        var flipped = (double[])psi.Clone();
        flipped[7] = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(flipped[7]) ^ 1);
        Assert.Null(Recall(chain, flipped, v, omega));
        var moved = (double[])v.Clone();
        moved[3] += 1e-3;
        Assert.Null(Recall(chain, psi, moved, omega));
        Assert.Null(Recall(chain, psi, omega, v)); // the two solutions swapped
    }

    private static double[][]? Recall(LeastSquaresChain chain, double[] psi, double[] penalized, double[] lower)
    {
        var (gp, gl, rp, rl) = (new double[M * C], new double[M * C], new double[N], new double[N]);
        return chain.TryRecallVerifiedResiduals(psi, penalized, lower, gp, gl, rp, rl) ? [gp, gl, rp, rl] : null;
    }
}
