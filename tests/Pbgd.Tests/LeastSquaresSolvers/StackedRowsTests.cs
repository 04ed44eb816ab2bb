using Pbgd.LeastSquares;
using Pbgd.Linalg;
using Pbgd.Tests.Support;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// The stacked copy QR and the SVD solve on, where it has fewer rows than features: QR declines such a system (it takes
/// one with exactly m rows), and the SVD returns the minimum-norm solution Zᵀ(ZZᵀ)⁻¹Y of the consistent system Z·W = Y
/// (the √ψ scaling of rows drops out of a consistent system), written here by hand.
public class StackedRowsTests
{
    private static Matrix Random(int rows, int columns, Random random)
    {
        var x = new Matrix(rows, columns);
        for (int i = 0; i < rows; i++) for (int j = 0; j < columns; j++) x[i, j] = random.NextDouble() - 0.5;
        return x;
    }

    private static LeastSquaresData Data(int n, int nVal, int m, int c, int seed)
    {
        var random = new Random(seed);
        return new LeastSquaresData(Random(n, m, random), Random(n, c, random), Random(nVal, m, random), Random(nVal, c, random));
    }

    // Zᵀ(ZZᵀ)⁻¹Y for Z (r×m, r < m) and Y (r×c), W m×c row-major.
    private static double[] MinimumNorm(Matrix z, Matrix y)
    {
        int r = z.Rows, m = z.Columns, c = y.Columns;
        var gram = new double[r * r];
        for (int i = 0; i < r; i++) for (int k = 0; k < r; k++) for (int j = 0; j < m; j++) gram[i * r + k] += z[i, j] * z[k, j];
        var w = new double[m * c];
        for (int q = 0; q < c; q++)
        {
            var t = DenseSolve.Solve(gram, Enumerable.Range(0, r).Select(i => y[i, q]).ToArray(), r);
            for (int j = 0; j < m; j++) w[j * c + q] = Enumerable.Range(0, r).Sum(i => z[i, j] * t[i]);
        }
        return w;
    }

    private static Matrix Stack(Matrix top, Matrix bottom)
    {
        var s = new Matrix(top.Rows + bottom.Rows, top.Columns);
        for (int i = 0; i < s.Rows; i++) for (int j = 0; j < s.Columns; j++) s[i, j] = i < top.Rows ? top[i, j] : bottom[i - top.Rows, j];
        return s;
    }

    [Fact]
    public void TheSvdSolvesSystemsWithFewerRowsThanFeaturesAtMinimumNorm()
    {
        const int n = 2, nVal = 1, m = 5, c = 2;
        var data = Data(n, nVal, m, c, seed: 3);
        var chain = LeastSquaresRegistry.Build("qr,svd", data);
        var psi = new[] { 0.3, 0.8 };
        var w = new double[m * c];
        var lower = chain.Solve(LeastSquaresSystem.Lower(psi, 0), w);
        Assert.Equal(("svd", 2, false), (lower.Solver, lower.Rank, lower.FullRank)); // 2 rows < 5 features: QR declined
        AssertClose(MinimumNorm(data.XTrain, data.YTrain), w);
        var penalized = chain.Solve(LeastSquaresSystem.Penalized(psi, 0.5, 0), w);
        Assert.Equal(("svd", 3), (penalized.Solver, penalized.Rank));
        AssertClose(MinimumNorm(Stack(data.XValidation, data.XTrain), Stack(data.YValidation, data.YTrain)), w);
        Assert.Equal(0, chain.Attempts["qr"]);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        double scale = expected.Max(Math.Abs);
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-10 * scale, $"W[{k}] = {actual[k]:R}, expected {expected[k]:R}");
    }

    [Fact]
    public void QrTakesASystemFromExactlyAsManyRowsAsFeatures()
    {
        const int m = 4;
        var psi = new[] { 0.5, 0.5, 0.5, 0.5 };
        // N = m rows: system 1 without ridge has exactly m stacked rows (the boundary: taken).
        var square = LeastSquaresRegistry.Build("qr,svd", Data(m, 1, m, 1, seed: 2)).Find<QrSolver>()!;
        Assert.True(square.Accepts(LeastSquaresSystem.Lower(psi, 0)));
        // N = m − 1: one row short, unless the ridge adds its m rows; system 2 adds the validation row.
        var shortData = Data(m - 1, 1, m, 1, seed: 2);
        var qr = LeastSquaresRegistry.Build("qr,svd", shortData).Find<QrSolver>()!;
        var three = psi[..3];
        Assert.False(qr.Accepts(LeastSquaresSystem.Lower(three, 0)));
        Assert.True(qr.Accepts(LeastSquaresSystem.Lower(three, 1e-3)));
        Assert.True(qr.Accepts(LeastSquaresSystem.Penalized(three, 2, 0)));   // 1 + 3 = m rows
        Assert.False(qr.Accepts(LeastSquaresSystem.Penalized(three, 0, 1)));  // γ = 0: only the validation rows
        var noValidation = LeastSquaresRegistry.Build("qr,svd", Data(m - 1, 0, m, 1, seed: 2)).Find<QrSolver>()!;
        Assert.False(noValidation.Accepts(LeastSquaresSystem.Penalized(three, 2, 0)));  // 0 + 3 rows
        Assert.True(noValidation.Accepts(LeastSquaresSystem.Penalized(three, 2, 0.1))); // + √(γλ)·I
    }

    [Fact]
    public void QrOnASquareSystemSolvesIt()
    {
        // m rows, full rank: the solution interpolates, X·W = Y exactly.
        const int m = 4;
        var data = Data(m, 1, m, 2, seed: 9);
        var chain = LeastSquaresRegistry.Build("qr,svd", data);
        var w = new double[m * 2];
        var info = chain.Solve(LeastSquaresSystem.Lower([0.2, 0.4, 0.6, 0.8], 0), w);
        Assert.Equal(("qr", m, true), (info.Solver, info.Rank, info.FullRank));
        AssertClose(MinimumNorm(data.XTrain, data.YTrain), w); // for a square invertible X, X⁻¹Y
    }
}
