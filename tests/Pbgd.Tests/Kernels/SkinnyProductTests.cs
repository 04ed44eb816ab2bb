using Pbgd.Kernels;
using Pbgd.Native;
using Pbgd.Tests.Native;
using Pbgd.Tests.Reference;

namespace Pbgd.Tests.Kernels;

/// The skinny-product kernels against MKL's gemm and the plain-loop reference, within the normwise bound
/// ‖C − C_ref‖_F ≤ 10·k·u·‖|A|·|B|‖_F (k the inner dimension), on odd shapes: zero rows, a row count that is no
/// multiple of the 4-/8-row blocks or of the 32-row cache blocks, several fixed parts, m not a multiple of the
/// vector width, k = 1, 10, 11, 20.
public class SkinnyProductTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var (rows, m) in new[] { (0, 9), (1, 1), (3, 7), (37, 9), (301, 16), (1029, 785), (2100, 31) })
            foreach (int k in new[] { 1, 10, 11, 20 })
                data.Add(rows, m, k);
        return data;
    }

    private static double[] Random(Random random, int length)
    {
        var a = new double[length];
        for (int i = 0; i < a.Length; i++) a[i] = 2 * random.NextDouble() - 1;
        return a;
    }

    private static double[] Transposed(double[] a, int rows, int cols)
    {
        var t = new double[a.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
        return t;
    }

    private static double[] Abs(double[] a) => a.Select(Math.Abs).ToArray();

    private static void AssertNormwise(double[] actual, double[] expected, double[] bound, int inner, string what)
    {
        double err = 0, norm = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            err += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += bound[i] * bound[i];
        }
        double limit = Normwise.Limit(inner, Math.Sqrt(norm));
        Assert.True(Math.Sqrt(err) <= limit, $"{what}: ‖C − C_ref‖_F = {Math.Sqrt(err):E3} > {limit:E3}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyMatchesMklAndReference(int rows, int m, int k)
    {
        var random = new Random(rows * 1000 + m * 10 + k);
        var x = Random(random, rows * m);
        var b = Random(random, m * k);
        var c = Enumerable.Repeat(double.NaN, rows * k).ToArray();
        SkinnyMultiply.Run(x, rows, m, Transposed(b, m, k), k, c);

        AssertMatchesReferenceAndMkl(c, Transpose.NoTrans, rows, k, m, x, m, b, rows > 0 && m > 0, "X·B");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TransposeMultiplyMatchesMklAndReference(int rows, int m, int k)
    {
        var random = new Random(rows * 1000 + m * 10 + k + 7);
        var x = Random(random, rows * m);
        var r = Random(random, rows * k);
        var cT = Enumerable.Repeat(double.NaN, k * m).ToArray();
        var work = Enumerable.Repeat(double.NaN, SkinnyTransposeMultiply.WorkspaceLength(rows, m, k)).ToArray();
        SkinnyTransposeMultiply.Run(x, rows, m, r, k, cT, work);
        var c = Transposed(cT, k, m);

        AssertMatchesReferenceAndMkl(c, Transpose.Trans, m, k, rows, x, m, r, rows > 0 && m > 0, "Xᵀ·R");
    }

    // op(A)·B (op(A) outRows×inner, B inner×k) computed by the managed reference and, when asked, by MKL; the kernel's
    // result must match both within the normwise bound of |op(A)|·|B|.
    private static void AssertMatchesReferenceAndMkl(double[] actual, Transpose transA, int outRows, int k, int inner, double[] a, int lda,
        double[] b, bool withMkl, string what)
    {
        var reference = new double[outRows * k];
        ManagedBlas.Gemm(MatrixLayout.RowMajor, transA, Transpose.NoTrans, outRows, k, inner, 1.0, a, lda, b, k, 0.0, reference, k);
        var bound = new double[outRows * k];
        ManagedBlas.Gemm(MatrixLayout.RowMajor, transA, Transpose.NoTrans, outRows, k, inner, 1.0, Abs(a), lda, Abs(b), k, 0.0, bound, k);
        AssertNormwise(actual, reference, bound, inner, $"{what} vs reference");
        if (!withMkl) return;
        var mkl = new double[outRows * k];
        Blas.Gemm(transA, Transpose.NoTrans, outRows, k, inner, 1.0, a, lda, b, k, 0.0, mkl, k);
        AssertNormwise(actual, mkl, bound, inner, $"{what} vs MKL");
    }

    [Fact]
    public void PreconditionsNameTheParameter()
    {
        var x = new double[12];
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => SkinnyMultiply.Run(x, 4, 4, new double[8], 2, new double[8])).ParamName);
        Assert.Equal("bTransposed", Assert.Throws<ArgumentException>(() => SkinnyMultiply.Run(x, 3, 4, new double[7], 2, new double[6])).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => SkinnyMultiply.Run(x, 3, 4, new double[8], 2, new double[5])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => SkinnyMultiply.Run(x, -1, 4, new double[8], 2, new double[6])).ParamName);
        Assert.Equal("r", Assert.Throws<ArgumentException>(() => SkinnyTransposeMultiply.Run(x, 3, 4, new double[5], 2, new double[8], new double[8])).ParamName);
        Assert.Equal("cTransposed", Assert.Throws<ArgumentException>(() => SkinnyTransposeMultiply.Run(x, 3, 4, new double[6], 2, new double[9], new double[8])).ParamName);
        Assert.Equal("workspace", Assert.Throws<ArgumentException>(() => SkinnyTransposeMultiply.Run(x, 3, 4, new double[6], 2, new double[8], new double[7])).ParamName);
    }
}

/// Tests that switch the kernels' global settings run alone (after the parallel ones), so no other test sees them.
[CollectionDefinition(nameof(KernelSettingsCollection), DisableParallelization = true)]
public class KernelSettingsCollection;

/// The fixed partition makes the products independent of the thread count to the bit; the portable loop (machines
/// without AVX-512) meets the same bound.
[Collection(nameof(KernelSettingsCollection))]
public class SkinnyProductSettingsTests
{
    [Fact]
    public void ResultsAreBitIdenticalForAnyThreadCount()
    {
        var random = new Random(5);
        int rows = 3001, m = 785, k = 20;
        var x = Enumerable.Range(0, rows * m).Select(_ => random.NextDouble() - 0.5).ToArray();
        var r = Enumerable.Range(0, rows * k).Select(_ => random.NextDouble() - 0.5).ToArray();
        var bT = Enumerable.Range(0, k * m).Select(_ => random.NextDouble() - 0.5).ToArray();
        var work = new double[SkinnyTransposeMultiply.WorkspaceLength(rows, m, k)];
        SameForAnyThreadCount(() =>
        {
            var (c, g) = (new double[rows * k], new double[k * m]);
            SkinnyMultiply.Run(x, rows, m, bT, k, c);
            SkinnyTransposeMultiply.Run(x, rows, m, r, k, g, work);
            return (c, g);
        });
    }

    /// Runs a product with 1, 2, 3 and 8 kernel threads and asserts the results are equal to the bit.
    internal static void SameForAnyThreadCount(Func<(double[] First, double[] Second)> product)
    {
        int saved = KernelPool.Threads;
        try
        {
            (double[] First, double[] Second)? reference = null;
            foreach (int threads in new[] { 1, 2, 3, 8 })
            {
                KernelPool.Threads = threads;
                var result = product();
                reference ??= result;
                Assert.Equal(reference.Value.First, result.First);
                Assert.Equal(reference.Value.Second, result.Second);
            }
        }
        finally
        {
            KernelPool.Threads = saved;
        }
    }

    [Fact]
    public void PortableLoopMatchesVectorPath()
    {
        var random = new Random(6);
        int rows = 301, m = 37, k = 11;
        var x = Enumerable.Range(0, rows * m).Select(_ => random.NextDouble() - 0.5).ToArray();
        var bT = Enumerable.Range(0, k * m).Select(_ => random.NextDouble() - 0.5).ToArray();
        var r = Enumerable.Range(0, rows * k).Select(_ => random.NextDouble() - 0.5).ToArray();
        var work = new double[SkinnyTransposeMultiply.WorkspaceLength(rows, m, k)];
        var (c1, g1, c2, g2) = (new double[rows * k], new double[k * m], new double[rows * k], new double[k * m]);
        SkinnyMultiply.Run(x, rows, m, bT, k, c1);
        SkinnyTransposeMultiply.Run(x, rows, m, r, k, g1, work);
        bool saved = MicroKernels.UseVector512;
        try
        {
            MicroKernels.UseVector512 = false;
            SkinnyMultiply.Run(x, rows, m, bT, k, c2);
            SkinnyTransposeMultiply.Run(x, rows, m, r, k, g2, work);
        }
        finally
        {
            MicroKernels.UseVector512 = saved;
        }
        // Both are within k·u·|…| of the exact products; |x|, |b| ≤ ½ bounds |…| by inner/4.
        for (int i = 0; i < c1.Length; i++) Assert.True(Math.Abs(c1[i] - c2[i]) <= 20 * m * ManagedBlas.Unit * m / 4.0, $"C[{i}]");
        for (int i = 0; i < g1.Length; i++) Assert.True(Math.Abs(g1[i] - g2[i]) <= 20 * rows * ManagedBlas.Unit * rows / 4.0, $"G[{i}]");
    }
}
