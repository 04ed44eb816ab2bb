using Pbgd.Linalg;
using Pbgd.Native;

namespace Pbgd.Tests.Problems;

/// Plain-loop dense algebra for references that must not share code with the library: products, norms, the
/// projector onto a range and exact spectral norms from an eigendecomposition (dsyevd, a different LAPACK
/// algorithm from the gelsd/gglse/power iteration under test). Row-major throughout.
internal static class NaiveDense
{
    internal static double[] Multiply(double[] a, int rows, int inner, double[] b, int columns)
    {
        var c = new double[rows * columns];
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < inner; k++)
            {
                double aik = a[i * inner + k];
                for (int j = 0; j < columns; j++) c[i * columns + j] += aik * b[k * columns + j];
            }
        return c;
    }

    internal static double[] Multiply(Matrix a, double[] b, int columns) => Multiply(a.Data, a.Rows, a.Columns, b, columns);

    internal static double[] Transpose(double[] a, int rows, int columns)
    {
        var t = new double[rows * columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) t[j * rows + i] = a[i * columns + j];
        return t;
    }

    internal static double Norm(ReadOnlySpan<double> a)
    {
        double s = 0;
        foreach (double x in a) s += x * x;
        return Math.Sqrt(s);
    }

    internal static double[] Subtract(double[] a, double[] b) => a.Zip(b, (x, y) => x - y).ToArray();

    /// ½‖Y − X W‖_F² with X rows×inner, W inner×columns.
    internal static double HalfSquaredResidual(Matrix x, Matrix y, double[] w)
    {
        double r = Norm(Subtract(y.Data, Multiply(x, w, y.Columns)));
        return 0.5 * r * r;
    }

    /// Eigenvalues (ascending) and eigenvectors (columns, row-major n×n) of the symmetric G = A Aᵀ (A rows×columns).
    internal static (double[] Values, double[] Vectors) GramEigen(double[] a, int rows, int columns)
    {
        var g = Multiply(a, rows, columns, Transpose(a, rows, columns), rows);
        var w = new double[rows];
        Lapack.Syevd(true, Triangle.Upper, rows, g, rows, w);
        return (w, g);
    }

    /// ‖A‖₂² = λ_max(A Aᵀ).
    internal static double SpectralNormSquared(double[] a, int rows, int columns) =>
        rows <= columns ? GramEigen(a, rows, columns).Values[^1] : GramEigen(Transpose(a, rows, columns), columns, rows).Values[^1];

    /// The orthogonal projector (rows×rows) onto range(A), from the eigenvectors of A Aᵀ whose eigenvalue exceeds
    /// 1e−12·λ_max (singular values above 1e−6·σ_max), and that count (the rank).
    internal static (double[] P, int Rank) RangeProjector(double[] a, int rows, int columns)
    {
        var (values, vectors) = GramEigen(a, rows, columns);
        var p = new double[rows * rows];
        int rank = 0;
        double top = values[^1];
        for (int e = 0; e < rows; e++)
        {
            if (!(values[e] > 1e-12 * top)) continue;
            rank++;
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < rows; j++) p[i * rows + j] += vectors[i * rows + e] * vectors[j * rows + e];
        }
        return (p, rank);
    }

    /// A seeded rows×columns matrix of rank r: (rows×r Gaussian-like)(r×columns), entries uniform in [−1, 1].
    internal static double[] LowRank(int rows, int columns, int rank, int seed)
    {
        var random = new Random(seed);
        double[] Uniform(int n) => Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble() - 1).ToArray();
        return Multiply(Uniform(rows * rank), rows, rank, Uniform(rank * columns), columns);
    }
}
