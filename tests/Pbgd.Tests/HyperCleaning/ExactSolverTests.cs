using Pbgd.LeastSquares;
using Pbgd.Linalg;
using Pbgd.Problems;
using Pbgd.Synthetic;

namespace Pbgd.Tests.HyperCleaning;

/// The normal-equations exact solver against the QR/SVD path: same W*(u) and same penalized minimiser, also
/// when feature columns are entirely zero (the minimum-norm solution gives them zero weights). Where the normal
/// equations are rejected (a numerically singular Gram matrix), Auto's conjugate gradients against the minimum-norm
/// SVD solution, and Auto's fall back to that solution when conjugate gradients miss their tolerance.
public class ExactSolverTests
{
    private const int Features = 12, Outputs = 3;

    private static double Relative(double a, double b) => Math.Abs(a - b) / Math.Abs(b);

    /// After a rejection auto skips the normal equations for the next 50 solves, its link being normal:50 (forming XᵀΨX only to
    /// reject it again was most of an MNIST iteration), then tries them once more; the solutions are those of cg.
    [Fact]
    public void RejectedNormalEquationsAreRetriedOnlyEveryFiftySolves()
    {
        var d = RankDeficientData.Create(300, 80, Features, Outputs, seed: 12);
        var auto = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation);
        var cg = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation,
            new HyperCleaningSquaredOptions { ExactSolver = "cg" });
        var random = new Random(5);
        var u = Enumerable.Range(0, 300).Select(_ => 6 * random.NextDouble() - 3).ToArray();
        int solves = 0;
        var attemptsAt = new List<int>();
        void Check(Func<HyperCleaningSquaredProblem, double[], LowerSolveInfo> solve)
        {
            var (wa, wc) = (new double[auto.LowerDimension], new double[cg.LowerDimension]);
            long before = auto.ExactSolver.Attempts["normal"];
            Assert.Equal("cg", solve(auto, wa).Solver);
            solve(cg, wc);
            Assert.Equal(wc, wa);
            if (auto.ExactSolver.Attempts["normal"] > before) attemptsAt.Add(solves);
            solves++;
        }
        for (int iteration = 0; iteration < 60; iteration++)
        {
            for (int i = 0; i < u.Length; i++) u[i] += 0.02 * (random.NextDouble() - 0.5);
            Check((p, w) => p.MinimizePenalized(u, 10, w));
            Check((p, w) => p.SolveLower(u, w));
        }
        // Tried at the first solve, skipped for the next 50; solve 51 is system 1 at the weights cg has just solved, which cg
        // answers for nothing, so auto's cost model passes the normal equations over once more: tried again at solve 52
        // (system 2), then after 50 more skips at 104.
        int after = LeastSquaresChainSpec.Parse("auto").Links[0].RetryAfter;
        Assert.Equal(new ChainLink("normal", 50, CostGated: true), LeastSquaresChainSpec.Parse("auto").Links[0]);
        Assert.Equal([0, after + 2, 2 * (after + 2)], attemptsAt);
    }

    [Fact]
    public void RejectedNormalEquationsGoToConjugateGradients()
    {
        // No ridge: one of any size that matters makes the normal equations acceptable, so auto would never reach CG
        // (CG with a ridge is ConjugateGradientSolverTests' case, on the "cg" chain).
        var d = RankDeficientData.Create(300, 80, Features, Outputs, seed: 12);
        var auto = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, new HyperCleaningSquaredOptions());
        var qr = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, new HyperCleaningSquaredOptions { ExactSolver = "qr" });
        var random = new Random(3);
        var u = Enumerable.Range(0, 300).Select(_ => 6 * random.NextDouble() - 3).ToArray();
        for (int round = 0; round < 4; round++)
        {
            // A run moves u a little each iteration: the later rounds exercise the warm starts.
            for (int i = 0; i < u.Length; i++) u[i] += 0.05 * (random.NextDouble() - 0.5);
            foreach (double gamma in new[] { 10.0, -1.0 }) // PBGD-B's order: the penalized solve, then W*(u)
            {
                var wa = new double[auto.LowerDimension];
                var wq = new double[qr.LowerDimension];
                var ia = gamma < 0 ? auto.SolveLower(u, wa) : auto.MinimizePenalized(u, gamma, wa);
                var iq = gamma < 0 ? qr.SolveLower(u, wq) : qr.MinimizePenalized(u, gamma, wq);
                string at = $"round {round}, γ = {gamma}";
                Assert.Equal("cg", ia.Solver);
                // The features with a zero column drop out (they get zero weights).
                Assert.Equal(Features - 2, ia.Rank);
                // QR meets the zero columns' exact zero pivots; SVD finds the dependent column too.
                Assert.Equal(("svd", Features - 3), (iq.Solver, iq.Rank));
                foreach (int j in RankDeficientData.ZeroColumns) for (int k = 0; k < Outputs; k++) Assert.Equal(0.0, wa[j * Outputs + k]);
                double error = PlainBackwardError.Of(d.XTrain, d.YTrain, d.XValidation, d.YValidation, u, gamma, 0, wa);
                // The solver's ‖XᵀΨX‖_F comes from its single-precision Gram matrix: relative 1e−7 at most.
                Assert.True(error <= LeastSquaresOptions.DefaultConjugateGradientTolerance * (1 + 1e-6), $"{at}: backward error {error:E2}");
                // Every least-squares solution of this data has the same f and g (the dependent direction is annihilated
                // by X_trn and X_val alike): CG's and the minimum-norm SVD's agree up to the backward error.
                double fa = auto.Upper(u, wa, [], []), fq = qr.Upper(u, wq, [], []);
                double ga = auto.Lower(u, wa, [], []), gq = qr.Lower(u, wq, [], []);
                Assert.True(Relative(fa, fq) <= 1e-9, $"{at}: f by CG {fa:R}, by SVD {fq:R}");
                Assert.True(Relative(ga, gq) <= 1e-9, $"{at}: g by CG {ga:R}, by SVD {gq:R}");
                if (gamma > 0)
                    Assert.True(Relative(fa + gamma * ga, fq + gamma * gq) <= 1e-10, $"{at}: f + γg by CG {fa + gamma * ga:R}, by SVD {fq + gamma * gq:R}");
            }
        }
        Assert.Equal(0, auto.ExactSolver.Find<ConjugateGradientSolver>()!.Fallbacks);
        Assert.Equal(8, auto.SolveCounts["cg"]);
        Assert.Equal(0, auto.SolveCounts.Where(c => c.Key != "cg").Sum(c => c.Value));
    }

    [Fact]
    public void ConjugateGradientsThatMissTheirToleranceFallBackToTheMinimumNormSolution()
    {
        // A backward error of 1e−30 is far below what double precision can reach (about 1e−16): every CG solve fails
        // its check, so Auto must end where the QR option does, at gelsd's minimum-norm solution, to the bit.
        var d = RankDeficientData.Create(300, 80, Features, Outputs, seed: 12);
        var auto = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation,
            new HyperCleaningSquaredOptions { ConjugateGradientTolerance = 1e-30 });
        var qr = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, new HyperCleaningSquaredOptions { ExactSolver = "qr" });
        var random = new Random(3);
        var u = Enumerable.Range(0, 300).Select(_ => 6 * random.NextDouble() - 3).ToArray();
        int solves = 0;
        foreach (double gamma in new[] { 10.0, -1.0, 0.5, -1.0 })
        {
            var wa = new double[auto.LowerDimension];
            var wq = new double[qr.LowerDimension];
            var ia = gamma < 0 ? auto.SolveLower(u, wa) : auto.MinimizePenalized(u, gamma, wa);
            var iq = gamma < 0 ? qr.SolveLower(u, wq) : qr.MinimizePenalized(u, gamma, wq);
            solves++;
            Assert.Equal(("svd", Features - 3, false), (ia.Solver, ia.Rank, ia.FullRank));
            Assert.Equal(iq, ia);
            Assert.Equal(wq, wa);
            Assert.Equal(solves, auto.ExactSolver.Find<ConjugateGradientSolver>()!.Fallbacks);
        }
        Assert.Equal(solves, auto.SolveCounts["svd"]);
        Assert.Equal(0, auto.SolveCounts["cg"]);
    }

    private static Matrix WithZeroColumns(Matrix x, params int[] columns)
    {
        var y = x.Clone();
        foreach (int j in columns) for (int i = 0; i < y.Rows; i++) y[i, j] = 0;
        return y;
    }

    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(true, 0.0)]
    [InlineData(true, 0.3)]
    public void NormalEquationsMatchQrAndSvd(bool zeroColumns, double ridge)
    {
        var d = HyperCleaningGenerator.Realistic(300, 80, 8, 3, 0.4, seed: 12);
        var xt = zeroColumns ? WithZeroColumns(d.XTrain, 2, 5) : d.XTrain;
        var xv = zeroColumns ? WithZeroColumns(d.XValidation, 2, 5) : d.XValidation;
        var auto = new HyperCleaningSquaredProblem(xt, d.YTrain, xv, d.YValidation, new HyperCleaningSquaredOptions { Ridge = ridge });
        var qr = new HyperCleaningSquaredProblem(xt, d.YTrain, xv, d.YValidation, new HyperCleaningSquaredOptions { Ridge = ridge, ExactSolver = "qr" });
        var random = new Random(3);
        var u = Enumerable.Range(0, 300).Select(_ => 6 * random.NextDouble() - 3).ToArray();
        foreach (double gamma in new[] { -1.0, 0.5, 10.0 }) // −1: the lower-level solve W*(u)
        {
            var wa = new double[auto.LowerDimension];
            var wq = new double[qr.LowerDimension];
            var ia = gamma < 0 ? auto.SolveLower(u, wa) : auto.MinimizePenalized(u, gamma, wa);
            var iq = gamma < 0 ? qr.SolveLower(u, wq) : qr.MinimizePenalized(u, gamma, wq);
            Assert.Equal("normal", ia.Solver);
            Assert.False(auto.ExactSolver.Find<ConjugateGradientSolver>()!.Started); // it allocates only once the normal equations are rejected
            // m = 8 features; two all-zero columns drop out unless the ridge determines them (as zeros).
            Assert.Equal(zeroColumns && ridge == 0 ? 6 : 8, ia.Rank);
            double diff = Math.Sqrt(wa.Zip(wq, (a, b) => (a - b) * (a - b)).Sum()), norm = Math.Sqrt(wq.Sum(x => x * x));
            Assert.True(diff <= 1e-10 * norm, $"γ = {gamma}: ‖W_chol − W_qr‖ = {diff:E2}, ‖W‖ = {norm:E2} ({iq.Solver}, rank {iq.Rank})");
            if (zeroColumns && ridge == 0)
                foreach (int j in new[] { 2, 5 }) for (int k = 0; k < 3; k++) Assert.Equal(0.0, wa[j * 3 + k]);
        }
    }
}
