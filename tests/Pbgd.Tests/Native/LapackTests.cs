using Pbgd.Native;
using Pbgd.Tests.Reference;

namespace Pbgd.Tests.Native;

/// MKL's LAPACK judged by backward-error residuals and by managed references.
public class LapackTests
{
    private static double[] RandomMatrix(Random r, int rows, int cols) =>
        Enumerable.Range(0, rows * cols).Select(_ => 2 * r.NextDouble() - 1).ToArray();

    private static double Norm(IEnumerable<double> x) => Math.Sqrt(x.Sum(v => v * v));

    // Row-major products for residuals, through the reference (not MKL).
    private static double[] Multiply(double[] a, int m, int k, double[] b, int n, Transpose ta = Transpose.NoTrans)
    {
        int rows = ta == Transpose.NoTrans ? m : k, inner = ta == Transpose.NoTrans ? k : m;
        var c = new double[rows * n];
        ReferenceBlas.Gemm(MatrixLayout.RowMajor, ta, Transpose.NoTrans, rows, n, inner, 1.0, a, k, b, n, 0.0, c, n);
        return c;
    }

    [Theory]
    [InlineData(30, 7, 3)]
    [InlineData(8, 8, 1)]
    [InlineData(1, 1, 2)]
    public void GelsSolvesOverdeterminedLeastSquares(int m, int n, int nrhs)
    {
        var r = new Random(m * 31 + n);
        var a = RandomMatrix(r, m, n);
        var b = RandomMatrix(r, m, nrhs);
        var aw = (double[])a.Clone();
        var bw = (double[])b.Clone();
        Lapack.Gels(Transpose.NoTrans, m, n, nrhs, aw, n, bw, nrhs);
        var x = bw.AsSpan(0, n * nrhs).ToArray();
        var residual = Multiply(a, m, n, x, nrhs).Zip(b, (p, q) => p - q).ToArray();
        // Normal-equations residual ‖Aᵀ(Ax − b)‖ relative to ‖A‖²‖x‖ + ‖A‖‖b‖ (backward-stable QR).
        double normal = Norm(Multiply(a, m, n, residual, nrhs, Transpose.Trans));
        double scale = Norm(a) * (Norm(a) * Norm(x) + Norm(b));
        Assert.InRange(normal, 0, 1e-13 * Math.Max(m, n) * scale);
    }

    [Fact]
    public void GelsdGivesMinimumNormSolutionAndRankOfRankDeficientMatrix()
    {
        var r = new Random(9);
        int m = 12, n = 8, rank = 5;
        // A = L·R with inner dimension 5: rank 5.
        var a = Multiply(RandomMatrix(r, m, rank), m, rank, RandomMatrix(r, rank, n), n);
        var b = RandomMatrix(r, m, 2);
        var aw = (double[])a.Clone();
        var bw = (double[])b.Clone();
        int reported = Lapack.Gelsd(m, n, 2, aw, n, bw, 2, new double[n], 1e-12);
        Assert.Equal(rank, reported);
        var x = bw.AsSpan(0, n * 2).ToArray();
        var residual = Multiply(a, m, n, x, 2).Zip(b, (p, q) => p - q).ToArray();
        Assert.InRange(Norm(Multiply(a, m, n, residual, 2, Transpose.Trans)), 0, 1e-12 * Norm(a) * (Norm(a) * Norm(x) + Norm(b)));
        // Minimum norm: x lies in the row space of A, i.e. x = Aᵀz; equivalently x is orthogonal to null(A).
        // A null vector: solve A y = 0 through the reference by projecting a random vector off the row space.
        var probe = RandomMatrix(r, n, 1);
        var ap = (double[])a.Clone();
        var bp = Multiply(a, m, n, probe, 1);
        var bpw = new double[Math.Max(m, n)];
        bp.CopyTo(bpw, 0);
        Lapack.Gelsd(m, n, 1, ap, n, bpw, 1, new double[n], 1e-12);
        var nullVector = probe.Zip(bpw.AsSpan(0, n).ToArray(), (p, q) => p - q).ToArray();
        Assert.True(Norm(Multiply(a, m, n, nullVector, 1)) <= 1e-10 * Norm(a) * Norm(probe));
        Assert.True(Norm(nullVector) > 0.1, "the probe must have a null-space component");
        for (int j = 0; j < 2; j++)
        {
            double dot = 0;
            for (int i = 0; i < n; i++) dot += x[i * 2 + j] * nullVector[i];
            Assert.InRange(Math.Abs(dot), 0, 1e-10 * Norm(x) * Norm(nullVector));
        }
    }

    [Fact]
    public void CholeskyRoutinesSolveSpdSystemsAndRejectIndefinite()
    {
        var r = new Random(4);
        int n = 9;
        var g = RandomMatrix(r, n, n);
        var spd = Multiply(g, n, n, g, n, Transpose.Trans);
        for (int i = 0; i < n; i++) spd[i * n + i] += n;
        var b = RandomMatrix(r, n, 3);
        var a1 = (double[])spd.Clone();
        var x1 = (double[])b.Clone();
        Lapack.Posv(Triangle.Lower, n, 3, a1, n, x1, 3);
        Assert.InRange(Norm(Multiply(spd, n, n, x1, 3).Zip(b, (p, q) => p - q)), 0, 1e-14 * n * Norm(spd) * Norm(x1));
        var factor = (double[])spd.Clone();
        Lapack.Potrf(Triangle.Upper, n, factor, n);
        var x2 = (double[])b.Clone();
        Lapack.Potrs(Triangle.Upper, n, 3, factor, n, x2, 3);
        Assert.InRange(Norm(x1.Zip(x2, (p, q) => p - q)), 0, 1e-12 * Norm(x1));
        var indefinite = (double[])spd.Clone();
        indefinite[4 * n + 4] = -1e3;
        var e = Assert.Throws<MatrixNotPositiveDefiniteException>(() => Lapack.Potrf(Triangle.Lower, n, indefinite, n));
        Assert.InRange(e.Info, 1, 5);
    }

    [Fact]
    public void GelsRejectsRankDeficientMatrix()
    {
        // An all-zero column (as MNIST's blank pixels): R's diagonal is exactly zero. (A merely dependent
        // column leaves a rounding-sized R₂₂ that gels does not flag; that is what gelsd's rank is for.)
        var a = new double[] { 1, 0, 2, 0, 3, 0 };
        var b = new double[] { 1, 2, 3 };
        var e = Assert.Throws<MatrixSingularException>(() => Lapack.Gels(Transpose.NoTrans, 3, 2, 1, a, 2, b, 1));
        Assert.Equal("dgels", e.Routine);
    }

    [Fact]
    public void GglseMatchesManagedKktSolution()
    {
        var r = new Random(21);
        int m = 7, n = 5, p = 2;
        var a = RandomMatrix(r, m, n);
        var bm = RandomMatrix(r, p, n);
        var c = RandomMatrix(r, m, 1);
        var d = RandomMatrix(r, p, 1);
        var x = new double[n];
        Lapack.Gglse(m, n, p, (double[])a.Clone(), n, (double[])bm.Clone(), n, (double[])c.Clone(), (double[])d.Clone(), x);
        Assert.InRange(Norm(Multiply(bm, p, n, x, 1).Zip(d, (s, t) => s - t)), 0, 1e-12 * Norm(bm) * Norm(x));
        // KKT: [AᵀA Bᵀ; B 0][x; λ] = [Aᵀc; d], solved by managed Gaussian elimination.
        int size = n + p;
        var kkt = new double[size * size];
        var ata = Multiply(a, m, n, a, n, Transpose.Trans);
        var atc = Multiply(a, m, n, c, 1, Transpose.Trans);
        var rhs = new double[size];
        for (int i = 0; i < n; i++) { for (int j = 0; j < n; j++) kkt[i * size + j] = ata[i * n + j]; rhs[i] = atc[i]; }
        for (int i = 0; i < p; i++) { for (int j = 0; j < n; j++) { kkt[(n + i) * size + j] = bm[i * n + j]; kkt[j * size + n + i] = bm[i * n + j]; } rhs[n + i] = d[i]; }
        var reference = Support.DenseSolve.Solve(kkt, rhs, size);
        for (int i = 0; i < n; i++) Assert.InRange(Math.Abs(x[i] - reference[i]), 0, 1e-10 * Norm(reference));
        Assert.Throws<ArgumentException>(() => Lapack.Gglse(m, 2, 3, new double[m * 2], 2, new double[6], 2, new double[m], new double[3], new double[2]));
    }

    [Fact]
    public void SyevdEigenpairsSatisfyTheirDefinition()
    {
        var r = new Random(8);
        int n = 10;
        var g = RandomMatrix(r, n, n);
        var s = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s[i * n + j] = g[i * n + j] + g[j * n + i];
        var v = (double[])s.Clone();
        var w = new double[n];
        Lapack.Syevd(true, Triangle.Upper, n, v, n, w);
        for (int k = 1; k < n; k++) Assert.True(w[k] >= w[k - 1]);
        double trace = Enumerable.Range(0, n).Sum(i => s[i * n + i]);
        Assert.InRange(Math.Abs(w.Sum() - trace), 0, 1e-12 * n * Norm(s));
        for (int k = 0; k < n; k++)
        {
            var vk = Enumerable.Range(0, n).Select(i => v[i * n + k]).ToArray(); // eigenvectors are columns
            var av = Multiply(s, n, n, vk, 1);
            Assert.InRange(Norm(av.Zip(vk, (p, q) => p - w[k] * q)), 0, 1e-13 * n * Norm(s));
            Assert.InRange(Norm(vk), 1 - 1e-13, 1 + 1e-13);
        }
        var values = new double[n];
        Lapack.Syevd(false, Triangle.Lower, n, (double[])s.Clone(), n, values);
        for (int k = 0; k < n; k++) Assert.InRange(Math.Abs(values[k] - w[k]), 0, 1e-12 * Norm(s));
    }
}
