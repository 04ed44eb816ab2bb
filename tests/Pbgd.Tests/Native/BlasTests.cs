using Pbgd.Native;
using Pbgd.Tests.Reference;

namespace Pbgd.Tests.Native;

/// MKL's BLAS against the plain-loop reference on seeded random shapes (1×1, thin, wide, zero-sized, padded
/// leading dimensions, both layouts, all transposes), within ‖C − C_ref‖_F ≤ 10·k·2⁻⁵³·‖|α||A||B| + |β||C₀|‖_F.
public class BlasTests
{
    private static readonly (int M, int N, int K)[] Shapes =
        [(1, 1, 1), (0, 3, 2), (3, 0, 2), (4, 5, 0), (1, 37, 5), (37, 1, 5), (3, 2, 41), (17, 13, 9), (64, 10, 785 / 5)];

    public static TheoryData<MatrixLayout, Transpose, Transpose> Variants()
    {
        var data = new TheoryData<MatrixLayout, Transpose, Transpose>();
        foreach (var l in new[] { MatrixLayout.RowMajor, MatrixLayout.ColumnMajor })
            foreach (var ta in new[] { Transpose.NoTrans, Transpose.Trans })
                foreach (var tb in new[] { Transpose.NoTrans, Transpose.Trans })
                    data.Add(l, ta, tb);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void GemmMatchesReferenceWithinNormwiseBound(MatrixLayout layout, Transpose ta, Transpose tb)
    {
        // A fixed seed per variant (HashCode.Combine is randomised per process, so it cannot seed a reproducible test).
        var random = new Random(1000 * (int)layout + 10 * (int)ta + (int)tb);
        foreach (var (m, n, k) in Shapes)
            foreach (double beta in new[] { 0.0, 0.7 })
            {
                int pad = random.Next(0, 3);
                var (a, lda) = RandomMatrices.Create(random, layout, ta == Transpose.NoTrans ? m : k, ta == Transpose.NoTrans ? k : m, pad);
                var (b, ldb) = RandomMatrices.Create(random, layout, tb == Transpose.NoTrans ? k : n, tb == Transpose.NoTrans ? n : k, pad);
                var (c, ldc) = RandomMatrices.Create(random, layout, m, n, pad + 1);
                var expected = (double[])c.Clone();
                var bound = ReferenceBlas.Gemm(layout, ta, tb, m, n, k, 1.3, a, lda, b, ldb, beta, expected, ldc);
                Blas.Gemm(layout, ta, tb, m, n, k, 1.3, a, lda, b, ldb, beta, c, ldc);
                AssertWithinBound(layout, m, n, k, c, expected, ldc, bound);
            }
    }

    [Theory]
    [InlineData(MatrixLayout.RowMajor, Transpose.NoTrans)]
    [InlineData(MatrixLayout.RowMajor, Transpose.Trans)]
    [InlineData(MatrixLayout.ColumnMajor, Transpose.NoTrans)]
    [InlineData(MatrixLayout.ColumnMajor, Transpose.Trans)]
    public void GemvMatchesReference(MatrixLayout layout, Transpose trans)
    {
        var random = new Random(5 + (int)trans);
        foreach (var (m, n, _) in Shapes)
        {
            var (a, lda) = RandomMatrices.Create(random, layout, m, n, 2);
            int xLen = trans == Transpose.NoTrans ? n : m, yLen = trans == Transpose.NoTrans ? m : n;
            var x = Enumerable.Range(0, xLen).Select(_ => random.NextDouble() - 0.5).ToArray();
            var y = Enumerable.Range(0, yLen).Select(_ => random.NextDouble() - 0.5).ToArray();
            // gemv is gemm with one column: reuse the reference in column-vector form.
            var expected = (double[])y.Clone();
            var bound = ReferenceBlas.Gemm(layout, trans, Transpose.NoTrans, yLen, 1, xLen, 0.9, a, lda, x,
                layout == MatrixLayout.RowMajor ? 1 : Math.Max(1, xLen), -0.4, expected, layout == MatrixLayout.RowMajor ? 1 : Math.Max(1, yLen));
            Blas.Gemv(layout, trans, m, n, 0.9, a, lda, x, -0.4, y);
            double err = RandomMatrices.Frobenius(y.Zip(expected, (p, q) => p - q));
            Assert.True(err <= 10 * Math.Max(1, xLen) * Math.Pow(2, -53) * RandomMatrices.Frobenius(bound) + 1e-300,
                $"gemv {m}×{n} {trans}: error {err:E2}");
        }
    }

    [Theory]
    [InlineData(Triangle.Upper, Transpose.NoTrans)]
    [InlineData(Triangle.Lower, Transpose.Trans)]
    public void SyrkUpdatesOnlyItsTriangleAndMatchesReference(Triangle uplo, Transpose trans)
    {
        var random = new Random(11);
        foreach (var (n, k) in new[] { (1, 1), (5, 0), (6, 9), (13, 40) })
        {
            var layout = MatrixLayout.RowMajor;
            var (a, lda) = RandomMatrices.Create(random, layout, trans == Transpose.NoTrans ? n : k, trans == Transpose.NoTrans ? k : n, 1);
            var (c, ldc) = RandomMatrices.Create(random, layout, n, n, 1);
            var before = (double[])c.Clone();
            var expected = (double[])c.Clone();
            var other = trans == Transpose.NoTrans ? Transpose.Trans : Transpose.NoTrans;
            var bound = ReferenceBlas.Gemm(layout, trans, other, n, n, k, 0.8, a, lda, a, lda, 0.5, expected, ldc);
            Blas.Syrk(uplo, trans, n, k, 0.8, a, lda, 0.5, c, ldc);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    int idx = i * ldc + j;
                    bool inTriangle = uplo == Triangle.Upper ? j >= i : j <= i;
                    if (!inTriangle) Assert.Equal(before[idx], c[idx]);
                    else Assert.InRange(Math.Abs(c[idx] - expected[idx]), 0, 10 * Math.Max(1, k) * Math.Pow(2, -53) * bound[i * n + j] + 1e-300);
                }
            Assert.True(RandomMatrices.PaddingIntact(c, layout, n, n, ldc));
        }
    }

    [Fact]
    public void LevelOneOperationsMatchReference()
    {
        var random = new Random(3);
        foreach (int n in new[] { 0, 1, 7, 1000 })
        {
            var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
            double dotRef = x.Zip(y, (p, q) => p * q).Sum(), absDot = x.Zip(y, (p, q) => Math.Abs(p * q)).Sum();
            Assert.InRange(Math.Abs(Blas.Dot(x, y) - dotRef), 0, 10 * Math.Max(1, n) * Math.Pow(2, -53) * absDot + 1e-300);
            double nrmRef = Math.Sqrt(x.Sum(v => v * v));
            Assert.InRange(Math.Abs(Blas.Nrm2(x) - nrmRef), 0, 1e-14 * Math.Max(nrmRef, 1e-300));
            var axpy = (double[])y.Clone();
            Blas.Axpy(-2.5, x, axpy);
            for (int i = 0; i < n; i++) Assert.InRange(Math.Abs(axpy[i] - (y[i] - 2.5 * x[i])), 0, 1e-15 * (Math.Abs(y[i]) + 2.5 * Math.Abs(x[i])) + 1e-300);
            var scal = (double[])x.Clone();
            Blas.Scal(3.0, scal);
            for (int i = 0; i < n; i++) Assert.Equal(3.0 * x[i], scal[i]);
        }
        // dnrm2 avoids overflow where the naive sum of squares does not.
        Assert.InRange(Blas.Nrm2([1e200, 1e200]) / (Math.Sqrt(2) * 1e200), 1 - 1e-15, 1 + 1e-15);
    }

    private static void AssertWithinBound(MatrixLayout layout, int m, int n, int k, double[] actual, double[] expected, int ldc, double[] bound)
    {
        double err = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                int idx = ReferenceBlas.Index(layout, i, j, ldc);
                err += Math.Pow(actual[idx] - expected[idx], 2);
            }
        double limit = 10 * Math.Max(1, k) * Math.Pow(2, -53) * RandomMatrices.Frobenius(bound);
        Assert.True(Math.Sqrt(err) <= limit + 1e-300, $"{m}×{n}×{k} {layout}: ‖C − C_ref‖_F = {Math.Sqrt(err):E2} > {limit:E2}");
        Assert.True(RandomMatrices.PaddingIntact(actual, layout, m, n, ldc), $"{m}×{n}×{k} {layout}: padding of C was written");
    }
}
