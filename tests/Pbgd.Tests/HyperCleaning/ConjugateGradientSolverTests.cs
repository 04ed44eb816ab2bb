using Pbgd.LeastSquares;
using Pbgd.Linalg;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Tests.HyperCleaning;

/// The conjugate-gradient exact solver against the QR/SVD path: the same fitted residuals and the backward-error
/// tolerance met (not bitwise: CG stops at a tolerance), zero weights for all-zero feature columns, warm starts
/// over a run that end where the direct solver's run ends.
public class ConjugateGradientSolverTests
{
    private static Matrix WithZeroColumns(Matrix x, params int[] columns)
    {
        var y = x.Clone();
        foreach (int j in columns) for (int i = 0; i < y.Rows; i++) y[i, j] = 0;
        return y;
    }

    // ½Σψ_i‖y_i − Wᵀx_i‖² (+ ½λ‖W‖²): the value the minimum-norm solution shares with every other minimiser.
    private static double WeightedResidual(Matrix x, Matrix y, double[] u, double[] w, double ridge, int c)
    {
        double sum = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            double rr = 0;
            for (int q = 0; q < c; q++)
            {
                double z = 0;
                for (int j = 0; j < x.Columns; j++) z += x[i, j] * w[j * c + q];
                rr += (y[i, q] - z) * (y[i, q] - z);
            }
            sum += Pbgd.Tests.Problems.PlainReference.Sigmoid(u[i]) * rr;
        }
        return 0.5 * sum + 0.5 * ridge * w.Sum(v => v * v);
    }

    // DataPrecision.Single: CG's A·P products on float32 X, its acceptance test still on double residuals, so the
    // same tolerances hold.
    [Theory]
    [InlineData(false, 0.0, DataPrecision.Double)]
    [InlineData(true, 0.0, DataPrecision.Double)]
    [InlineData(true, 0.3, DataPrecision.Double)]
    [InlineData(false, 0.0, DataPrecision.Single)]
    [InlineData(true, 0.3, DataPrecision.Single)]
    public void MatchesQrAndSvdWithinTheBackwardErrorTolerance(bool zeroColumns, double ridge, DataPrecision precision)
    {
        var d = HyperCleaningGenerator.Realistic(700, 150, 13, 3, 0.4, seed: 21);
        var xt = zeroColumns ? WithZeroColumns(d.XTrain, 2, 9) : d.XTrain;
        var xv = zeroColumns ? WithZeroColumns(d.XValidation, 2, 9) : d.XValidation;
        var cg = new HyperCleaningSquaredProblem(xt, d.YTrain, xv, d.YValidation,
            new HyperCleaningSquaredOptions { Ridge = ridge, ExactSolver = "cg", Precision = precision });
        var qr = new HyperCleaningSquaredProblem(xt, d.YTrain, xv, d.YValidation, new HyperCleaningSquaredOptions { Ridge = ridge, ExactSolver = "qr" });
        var pcg = cg.ExactSolver.Find<ConjugateGradientSolver>()!;
        var random = new Random(4);
        var u = Enumerable.Range(0, 700).Select(_ => 6 * random.NextDouble() - 3).ToArray();
        for (int round = 0; round < 4; round++)
        {
            // A run moves u a little each iteration: the later rounds exercise the warm starts and the stale factor.
            for (int i = 0; i < u.Length; i++) u[i] += 0.05 * (random.NextDouble() - 0.5);
            foreach (double gamma in new[] { 10.0, -1.0 }) // PBGD-B's order: the penalized solve, then W*(u)
            {
                var wc = new double[cg.LowerDimension];
                var wq = new double[qr.LowerDimension];
                var ic = gamma < 0 ? cg.SolveLower(u, wc) : cg.MinimizePenalized(u, gamma, wc);
                _ = gamma < 0 ? qr.SolveLower(u, wq) : qr.MinimizePenalized(u, gamma, wq);
                Assert.Equal("cg", ic.Solver);
                Assert.Equal(zeroColumns && ridge == 0 ? 11 : 13, ic.Rank);
                // The tolerance is met by the backward error recomputed from the data in plain loops (not by the solver's own
                // BackwardError, which is what it stopped on); its ‖XᵀΨX‖_F comes from a float32 Gram matrix: 1e−6 slack.
                double error = PlainBackwardError.Of(xt, d.YTrain, xv, d.YValidation, u, gamma, ridge, wc);
                Assert.True(error <= LeastSquaresOptions.DefaultConjugateGradientTolerance * (1 + 1e-6), $"round {round}, γ = {gamma}: backward error {error:E2}");
                if (gamma < 0)
                {
                    double rc = WeightedResidual(xt, d.YTrain, u, wc, ridge, 3), rq = WeightedResidual(xt, d.YTrain, u, wq, ridge, 3);
                    Assert.True(Math.Abs(rc - rq) <= 1e-9 * rq, $"round {round}: g* by CG {rc:R}, by QR/SVD {rq:R}");
                }
                double diff = Math.Sqrt(wc.Zip(wq, (a, b) => (a - b) * (a - b)).Sum()), norm = Math.Sqrt(wq.Sum(x => x * x));
                Assert.True(diff <= 1e-7 * norm, $"round {round}, γ = {gamma}: ‖W_cg − W_qr‖ = {diff:E2}, ‖W‖ = {norm:E2}");
                if (zeroColumns && ridge == 0)
                    foreach (int j in new[] { 2, 9 }) for (int k = 0; k < 3; k++) Assert.Equal(0.0, wc[j * 3 + k]);
            }
        }
        Assert.Equal(0, pcg.Fallbacks);
    }

    /// Measuring a backward error (at another γ) between solves is a pure diagnostic: the solves after it are the
    /// same to the bit as without it.
    [Fact]
    public void MeasuringABackwardErrorLeavesTheNextSolvesUnchanged()
    {
        var d = HyperCleaningGenerator.Realistic(500, 120, 17, 3, 0.4, seed: 23);
        HyperCleaningSquaredProblem Make() => new(d.XTrain, d.YTrain, d.XValidation, d.YValidation,
            new HyperCleaningSquaredOptions { ExactSolver = "cg" });
        var (plain, measured) = (Make(), Make());
        var random = new Random(8);
        var u = Enumerable.Range(0, 500).Select(_ => 4 * random.NextDouble() - 2).ToArray();
        for (int round = 0; round < 6; round++)
        {
            for (int i = 0; i < u.Length; i++) u[i] += 0.05 * (random.NextDouble() - 0.5);
            var (w1, w2) = (new double[plain.LowerDimension], new double[plain.LowerDimension]);
            plain.MinimizePenalized(u, 10, w1);
            measured.MinimizePenalized(u, 10, w2);
            Assert.Equal(w1, w2);
            var psi = u.Select(Pbgd.Tests.Problems.PlainReference.Sigmoid).ToArray();
            // The diagnostic itself against the plain-loop backward error (W solves γ = 10, so at γ = 3 the error is large).
            // The solver's ‖XᵀΨX‖_F in the denominator is its preconditioner's: a float32 Gram matrix at the weights of the last
            // refresh (an earlier u), so the two differ by the weights' drift since then: 1e−3 relative (measured 1.2e−4).
            double atThree = measured.ExactSolver.Find<ConjugateGradientSolver>()!.BackwardError(LeastSquaresSystem.Penalized(psi, 3.0, 0), w2);
            double reference = PlainBackwardError.Of(d.XTrain, d.YTrain, d.XValidation, d.YValidation, u, 3.0, 0, w2);
            Assert.True(Math.Abs(atThree - reference) <= 1e-3 * reference && reference > 1e-6, $"backward error at γ = 3: {atThree:E6}, reference {reference:E6}");
            plain.SolveLower(u, w1);
            measured.SolveLower(u, w2);
            Assert.Equal(w1, w2);
            double lower = measured.ExactSolver.Find<ConjugateGradientSolver>()!.BackwardError(LeastSquaresSystem.Lower(psi, 0), w2);
            double lowerReference = PlainBackwardError.Of(d.XTrain, d.YTrain, d.XValidation, d.YValidation, u, -1, 0, w2);
            Assert.True(lowerReference <= LeastSquaresOptions.DefaultConjugateGradientTolerance * (1 + 1e-6), $"W*(u): backward error {lowerReference:E2}");
            // Near 1e−14 the residual is rounding itself: the two agree to 1e−3 relative plus 1e−15 (the rounding of R over ‖A‖‖W‖ + ‖b‖).
            Assert.True(Math.Abs(lower - lowerReference) <= 1e-3 * lowerReference + 1e-15, $"W*(u): the solver's backward error {lower:E6}, reference {lowerReference:E6}");
        }
    }

    [Fact]
    public void RunEndsWhereTheDirectSolversRunEnds()
    {
        var d = HyperCleaningGenerator.Realistic(400, 100, 8, 3, 0.4, seed: 8);
        SolverResult Run(string kind)
        {
            var p = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, new HyperCleaningSquaredOptions { ExactSolver = kind });
            return new PbgdBlockwise(p, new ExactLowerLevelOracle(p), new PbgdOptions { Penalty = PenaltySchedule.Constant(10), MaxIterations = 40 })
                .Run(new double[p.UpperDimension], new double[p.LowerDimension]);
        }
        var cg = Run("cg");
        var auto = Run("auto");
        double du = Math.Sqrt(cg.U.Zip(auto.U, (a, b) => (a - b) * (a - b)).Sum()), nu = Math.Sqrt(auto.U.Sum(x => x * x));
        Assert.True(du <= 1e-6 * nu, $"‖u_cg − u_auto‖ = {du:E2}, ‖u‖ = {nu:E2}");
        Assert.True(Math.Abs(cg.Final.Penalized - auto.Final.Penalized) <= 1e-8 * Math.Abs(auto.Final.Penalized));
    }

    [Theory]
    [InlineData(DataPrecision.Double)]
    [InlineData(DataPrecision.Single)]
    public void RunsRepeatToTheBit(DataPrecision precision)
    {
        var d = HyperCleaningGenerator.Realistic(300, 80, 20, 3, 0.4, seed: 9);
        double[] Run()
        {
            var p = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation,
                new HyperCleaningSquaredOptions { ExactSolver = "cg", Precision = precision });
            return new PbgdBlockwise(p, new ExactLowerLevelOracle(p), new PbgdOptions { Penalty = PenaltySchedule.Constant(10), MaxIterations = 25 })
                .Run(new double[p.UpperDimension], new double[p.LowerDimension]).U;
        }
        Assert.Equal(Run(), Run());
    }
}

/// After PBGD-B's two exact solves, g at (W, W*) comes from the pass that verified them: it must equal what the
/// problem's own passes compute, to the bit.
public class ConjugateGradientReuseTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    public void LowerPairFromTheVerifyingPassEqualsDirectEvaluation(double ridge)
    {
        var d = HyperCleaningGenerator.Realistic(1300, 200, 21, 10, 0.4, seed: 17);
        var p = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation,
            new HyperCleaningSquaredOptions { Ridge = ridge, ExactSolver = "cg" });
        var random = new Random(5);
        var u = Enumerable.Range(0, p.UpperDimension).Select(_ => 4 * random.NextDouble() - 2).ToArray();
        var v = new double[p.LowerDimension];
        var w = new double[p.LowerDimension];
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < u.Length; i++) u[i] += 0.02 * (random.NextDouble() - 0.5);
            Assert.Equal("cg", p.MinimizePenalized(u, 10, v).Solver);
            Assert.Equal("cg", p.SolveLower(u, w).Solver);
            var (au, av, au2, av2) = (new double[u.Length], new double[v.Length], new double[u.Length], new double[v.Length]);
            var (g1, g2) = p.LowerPair(u, v, w, au, av, au2, av2);
            var (gu, gv, gu2, gv2) = (new double[u.Length], new double[v.Length], new double[u.Length], new double[v.Length]);
            Assert.Equal(p.Lower(u, v, gu, gv), g1);
            Assert.Equal(p.Lower(u, w, gu2, gv2), g2);
            Assert.Equal(gu, au);
            Assert.Equal(gv, av);
            Assert.Equal(gu2, au2);
            Assert.Equal(gv2, av2);
        }
        Assert.Equal(3, p.ExactSolver.Find<ConjugateGradientSolver>()!.VerifiedResiduals!.Recalls);
    }
}

/// g at two points in one pass (ILowerLevelPair) equals two separate evaluations, to the bit.
public class LowerPairTests
{
    [Fact]
    public void PairEqualsTwoCallsForBothModels()
    {
        var d = HyperCleaningGenerator.Realistic(1100, 90, 37, 4, 0.4, seed: 3);
        IBilevelProblem[] problems =
        [
            new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, new HyperCleaningSquaredOptions { Ridge = 0.1 }),
            new HyperCleaningCrossEntropyProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, regularization: 0.2),
        ];
        var random = new Random(2);
        foreach (var problem in problems)
        {
            var u = Enumerable.Range(0, problem.UpperDimension).Select(_ => 4 * random.NextDouble() - 2).ToArray();
            var v = Enumerable.Range(0, problem.LowerDimension).Select(_ => random.NextDouble() - 0.5).ToArray();
            var w = Enumerable.Range(0, problem.LowerDimension).Select(_ => random.NextDouble() - 0.5).ToArray();
            var (gu, gv, gu2, gv2) = (new double[u.Length], new double[v.Length], new double[u.Length], new double[v.Length]);
            var (au, av, au2, av2) = (new double[u.Length], new double[v.Length], new double[u.Length], new double[v.Length]);
            double g1 = problem.Lower(u, v, gu, gv), g2 = problem.Lower(u, w, gu2, gv2);
            var (p1, p2) = ((ILowerLevelPair)problem).LowerPair(u, v, w, au, av, au2, av2);
            Assert.Equal(g1, p1);
            Assert.Equal(g2, p2);
            Assert.Equal(gu, au);
            Assert.Equal(gv, av);
            Assert.Equal(gu2, au2);
            Assert.Equal(gv2, av2);
        }
    }
}
