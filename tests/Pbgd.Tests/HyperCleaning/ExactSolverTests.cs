using Pbgd.Linalg;
using Pbgd.Problems;
using Pbgd.Synthetic;

namespace Pbgd.Tests.HyperCleaning;

/// The normal-equations exact solver against the QR/SVD path: same W*(u) and same penalized minimiser, also
/// when feature columns are entirely zero (the minimum-norm solution gives them zero weights).
public class ExactSolverTests
{
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
        var auto = new HyperCleaningSquaredProblem(xt, d.YTrain, xv, d.YValidation, new HyperCleaningOptions { Ridge = ridge });
        var qr = new HyperCleaningSquaredProblem(xt, d.YTrain, xv, d.YValidation, new HyperCleaningOptions { Ridge = ridge, ExactSolver = HyperCleaningExactSolver.Qr });
        var random = new Random(3);
        var u = Enumerable.Range(0, 300).Select(_ => 6 * random.NextDouble() - 3).ToArray();
        foreach (double gamma in new[] { -1.0, 0.5, 10.0 }) // −1: the lower-level solve W*(u)
        {
            var wa = new double[auto.LowerDimension];
            var wq = new double[qr.LowerDimension];
            var ia = gamma < 0 ? auto.SolveLower(u, wa) : auto.MinimizePenalized(u, gamma, wa);
            var iq = gamma < 0 ? qr.SolveLower(u, wq) : qr.MinimizePenalized(u, gamma, wq);
            Assert.Equal(LowerSolveMethod.Cholesky, ia.Method);
            // m = 8 features; two all-zero columns drop out unless the ridge determines them (as zeros).
            Assert.Equal(zeroColumns && ridge == 0 ? 6 : 8, ia.Rank);
            double diff = Math.Sqrt(wa.Zip(wq, (a, b) => (a - b) * (a - b)).Sum()), norm = Math.Sqrt(wq.Sum(x => x * x));
            Assert.True(diff <= 1e-10 * norm, $"γ = {gamma}: ‖W_chol − W_qr‖ = {diff:E2}, ‖W‖ = {norm:E2} ({iq.Method}, rank {iq.Rank})");
            if (zeroColumns && ridge == 0)
                foreach (int j in new[] { 2, 5 }) for (int k = 0; k < 3; k++) Assert.Equal(0.0, wa[j * 3 + k]);
        }
    }
}
