using Pbgd.LeastSquares;
using static Pbgd.Tests.LeastSquaresSolvers.LeastSquaresCases;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// Each registered solver, alone in a chain, against the plain-loop normal equations of LeastSquaresCases.PlainLoopSolution:
/// both systems, with and without ridge, with all-zero feature columns (which every solver leaves at zero).
public class SolverReferenceTests
{
    private const int N = 400, NVal = 90, M = 10, C = 3;

    public static TheoryData<string, bool, double> Cases()
    {
        var cases = new TheoryData<string, bool, double>();
        foreach (var solver in LeastSquaresRegistry.Solvers)
            foreach (var (zeroColumns, ridge) in new[] { (false, 0.0), (false, 0.4), (true, 0.0), (true, 0.4) })
                if (!(solver.Name == "qr" && zeroColumns && ridge == 0)) // QR refuses an exactly rank-deficient design (below)
                    cases.Add(solver.Name, zeroColumns, ridge);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesThePlainLoopNormalEquations(string solver, bool zeroColumns, double ridge)
    {
        var data = zeroColumns ? RealisticData(N, NVal, M, C, seed: 31, 1, 6) : RealisticData(N, NVal, M, C, seed: 31);
        var chain = Only(solver, data);
        var psi = Weights(N, seed: 2);
        var random = new Random(7);
        for (int round = 0; round < 3; round++)
        {
            Drift(psi, random); // the later rounds exercise warm starts and cached Gram matrices
            foreach (double gamma in new[] { 10.0, double.NaN, 0.5 }) // system 2, then system 1 at the same weights
            {
                // Filled with NaN: a solver writes every entry of W, the left-out features' zeros too.
                var w = Enumerable.Repeat(double.NaN, M * C).ToArray();
                var info = Solve(chain, psi, gamma, ridge, w);
                var reference = PlainLoopSolution(data, psi, gamma, ridge);
                string at = $"{solver}, round {round}, γ = {gamma}";
                Assert.Equal(solver, info.Solver);
                Assert.Equal(zeroColumns && ridge == 0 ? M - 2 : M, info.Rank);
                Assert.Equal(info.Rank == M, info.FullRank);
                // CG stops at a backward error of 1e−11; the direct solvers are exact up to rounding.
                double tolerance = solver == "cg" ? 1e-7 : 1e-9;
                Assert.True(RelativeDifference(w, reference) <= tolerance, $"{at}: ‖W − W_ref‖/‖W_ref‖ = {RelativeDifference(w, reference):E2}");
                // The normal equations and CG leave those features out (exact zeros); the SVD's rounding leaves ~1e−17.
                if (zeroColumns && ridge == 0)
                    foreach (int j in new[] { 1, 6 })
                        for (int q = 0; q < C; q++)
                            if (solver == "svd") Assert.True(Math.Abs(w[j * C + q]) <= 1e-12, $"{at}: W[{j},{q}] = {w[j * C + q]:E2}");
                            else Assert.Equal(0.0, w[j * C + q]);
            }
        }
    }

    [Fact]
    public void QrRefusesAnExactlyRankDeficientDesignAndRemembersIt()
    {
        var data = RealisticData(N, NVal, M, C, seed: 31, 1, 6);
        var chain = Only("qr", data);
        var qr = chain.Find<QrSolver>()!;
        var psi = Weights(N, seed: 2);
        var w = new double[M * C];
        Assert.Throws<InvalidOperationException>(() => Solve(chain, psi, double.NaN, 0, w));
        Assert.Equal((true, false), qr.RankDeficient);
        Assert.False(qr.Accepts(LeastSquaresSystem.Lower(psi, 0)));
        Assert.True(qr.Accepts(LeastSquaresSystem.Penalized(psi, 3, 0)));
        Assert.False(qr.Accepts(LeastSquaresSystem.Penalized(psi, 0, 0))); // only the validation rows: left to the SVD
        Assert.Equal(1, chain.Attempts["qr"]);
    }

    [Fact]
    public void TheSvdGivesTheMinimumNormSolutionOfSystemTwoAtGammaZero()
    {
        // γ = 0 leaves the validation rows alone: an under-determined system when N' < m.
        var data = RealisticData(N, 6, M, C, seed: 5);
        var chain = Only("svd", data);
        var w = new double[M * C];
        var info = Solve(chain, Weights(N, seed: 1), 0, 0.3, w);
        Assert.Equal(("svd", 6, false), (info.Solver, info.Rank, info.FullRank));
        // The minimum-norm solution lies in the row space of X_val: W = X_valᵀZ with X_val X_valᵀ Z = Y_val.
        var x = data.XValidation;
        var gram = new double[36];
        for (int i = 0; i < 6; i++) for (int k = 0; k < 6; k++) for (int j = 0; j < M; j++) gram[i * 6 + k] += x[i, j] * x[k, j];
        for (int q = 0; q < C; q++)
        {
            var z = Support.DenseSolve.Solve(gram, Enumerable.Range(0, 6).Select(i => data.YValidation[i, q]).ToArray(), 6);
            for (int j = 0; j < M; j++)
            {
                double expected = Enumerable.Range(0, 6).Sum(i => x[i, j] * z[i]);
                Assert.True(Math.Abs(w[j * C + q] - expected) <= 1e-9 * (1 + Math.Abs(expected)), $"W[{j},{q}] = {w[j * C + q]:R}, expected {expected:R}");
            }
        }
    }
}
