using Pbgd.LeastSquares;
using Pbgd.Linalg;
using Pbgd.Synthetic;
using Pbgd.Tests.Support;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// Data, weights and an independent reference for the least-squares solvers: the normal equations formed with plain
/// loops and solved by managed Gaussian elimination, features with a zero diagonal (all-zero columns) left out (they get W = 0, the
/// minimum-norm choice every solver makes).
internal static class LeastSquaresCases
{
    internal static LeastSquaresData RealisticData(int n, int nVal, int m, int c, int seed, params int[] zeroColumns)
    {
        var d = HyperCleaningGenerator.Realistic(n, nVal, m, c, 0.4, seed);
        return new LeastSquaresData(WithZeroColumns(d.XTrain, zeroColumns), d.YTrain, WithZeroColumns(d.XValidation, zeroColumns), d.YValidation);
    }

    /// Columns 2 and 9 zero and column 5 = column 3 + column 4 (HyperCleaning.RankDeficientData): QR meets exact zero
    /// pivots, the normal equations' conditioning check rejects the Gram matrix.
    internal static LeastSquaresData RankDeficient(int n, int nVal, int m, int c, int seed)
    {
        var d = HyperCleaning.RankDeficientData.Create(n, nVal, m, c, seed);
        return new LeastSquaresData(d.XTrain, d.YTrain, d.XValidation, d.YValidation);
    }

    internal static double[] Weights(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => 0.05 + 0.9 * random.NextDouble()).ToArray();
    }

    /// Moves the weights a little, as a run moves u between iterations.
    internal static void Drift(double[] weights, Random random)
    {
        for (int i = 0; i < weights.Length; i++) weights[i] = Math.Clamp(weights[i] + 0.02 * (random.NextDouble() - 0.5), 0.01, 0.99);
    }

    /// System 1 (γ NaN) or system 2 at γ, by plain loops and Gaussian elimination.
    internal static double[] PlainLoopSolution(LeastSquaresData d, double[] psi, double gamma, double ridge)
    {
        int m = d.FeatureCount, c = d.OutputCount;
        bool penalized = !double.IsNaN(gamma);
        double scale = penalized ? gamma : 1.0;
        var a = new double[m * m];
        var b = new double[m * c];
        void Add(Matrix x, Matrix y, Func<int, double> weight)
        {
            for (int i = 0; i < x.Rows; i++)
            {
                double w = weight(i);
                for (int j = 0; j < m; j++)
                {
                    for (int k = 0; k < m; k++) a[j * m + k] += w * x[i, j] * x[i, k];
                    for (int q = 0; q < c; q++) b[j * c + q] += w * x[i, j] * y[i, q];
                }
            }
        }
        Add(d.XTrain, d.YTrain, i => scale * psi[i]);
        if (penalized) Add(d.XValidation, d.YValidation, _ => 1.0);
        for (int j = 0; j < m; j++) a[j * m + j] += scale * ridge;
        int[] kept = Enumerable.Range(0, m).Where(j => a[j * m + j] > 0).ToArray();
        int r = kept.Length;
        var reduced = new double[r * r];
        for (int p = 0; p < r; p++)
            for (int s = 0; s < r; s++) reduced[p * r + s] = a[kept[p] * m + kept[s]];
        var w = new double[m * c];
        for (int q = 0; q < c; q++)
        {
            var column = DenseSolve.Solve(reduced, kept.Select(j => b[j * c + q]).ToArray(), r);
            for (int p = 0; p < r; p++) w[kept[p] * c + q] = column[p];
        }
        return w;
    }

    internal static double RelativeDifference(double[] a, double[] b) =>
        Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum()) / Math.Sqrt(b.Sum(x => x * x));

    internal static LeastSquaresSolution Solve(LeastSquaresChain chain, double[] psi, double gamma, double ridge, double[] w) =>
        double.IsNaN(gamma) ? chain.Solve(LeastSquaresSystem.Lower(psi, ridge), w) : chain.Solve(LeastSquaresSystem.Penalized(psi, gamma, ridge), w);

    internal static LeastSquaresChain Only(string solver, LeastSquaresData data, LeastSquaresOptions? options = null) =>
        LeastSquaresRegistry.Build(LeastSquaresChainSpec.Of(new ChainLink(solver)), data, options);

    private static Matrix WithZeroColumns(Matrix x, int[] columns)
    {
        var y = x.Clone();
        foreach (int j in columns) for (int i = 0; i < y.Rows; i++) y[i, j] = 0;
        return y;
    }
}
