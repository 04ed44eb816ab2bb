using Pbgd.Native;

namespace Pbgd.Tests.Native;

/// Every BLAS wrapper rejects negative dimensions, leading dimensions that are too small, spans that are too
/// short, outputs that overlap inputs and unknown enum values in managed code, with the exact exception type
/// and the offending parameter's name, before anything is written. Each case changes one argument of a valid call.
public class BlasValidationTests
{
    private static readonly Transpose N = Transpose.NoTrans, T = Transpose.Trans;

    // Valid baselines: gemm 2×3 = (2×4)(4×3) row-major; gemv 2×3; syrk n = 3, k = 2.
    private static readonly Dictionary<string, Rejection> Cases = new()
    {
        ["gemm m < 0"] = Rejection.OutOfRange("m", p => Blas.Gemm(N, N, -1, 3, 4, 1, p.Take(8), 4, p.Take(12), 3, 0, p.Take(6), 3)),
        ["gemm n < 0"] = Rejection.OutOfRange("n", p => Blas.Gemm(N, N, 2, -1, 4, 1, p.Take(8), 4, p.Take(12), 3, 0, p.Take(6), 3)),
        ["gemm k < 0"] = Rejection.OutOfRange("k", p => Blas.Gemm(N, N, 2, 3, -1, 1, p.Take(8), 4, p.Take(12), 3, 0, p.Take(6), 3)),
        ["gemm lda < k"] = Rejection.OutOfRange("lda", p => Blas.Gemm(N, N, 2, 3, 4, 1, p.Take(8), 3, p.Take(12), 3, 0, p.Take(6), 3)),
        ["gemm lda < m (Aᵀ stored k×m)"] = Rejection.OutOfRange("lda", p => Blas.Gemm(T, N, 2, 3, 4, 1, p.Take(8), 1, p.Take(12), 3, 0, p.Take(6), 3)),
        ["gemm lda < m (column-major)"] = Rejection.OutOfRange("lda", p => Blas.Gemm(MatrixLayout.ColumnMajor, N, N, 2, 3, 4, 1, p.Take(8), 1, p.Take(12), 4, 0, p.Take(6), 2)),
        ["gemm ldb < n"] = Rejection.OutOfRange("ldb", p => Blas.Gemm(N, N, 2, 3, 4, 1, p.Take(8), 4, p.Take(12), 2, 0, p.Take(6), 3)),
        ["gemm ldc < n"] = Rejection.OutOfRange("ldc", p => Blas.Gemm(N, N, 2, 3, 4, 1, p.Take(8), 4, p.Take(12), 3, 0, p.Take(6), 2)),
        ["gemm a too short"] = Rejection.Argument("a", p => Blas.Gemm(N, N, 2, 3, 4, 1, p.Take(7), 4, p.Take(12), 3, 0, p.Take(6), 3)),
        ["gemm b too short"] = Rejection.Argument("b", p => Blas.Gemm(N, N, 2, 3, 4, 1, p.Take(8), 4, p.Take(11), 3, 0, p.Take(6), 3)),
        ["gemm c too short for ldc"] = Rejection.Argument("c", p => Blas.Gemm(N, N, 2, 3, 4, 1, p.Take(8), 4, p.Take(12), 3, 0, p.Take(7), 5)),
        ["gemm c overlaps a"] = Rejection.Argument("c", p => { var s = p.Take(12); Blas.Gemm(N, N, 2, 3, 4, 1, s.AsSpan(0, 8), 4, p.Take(12), 3, 0, s.AsSpan(6, 6), 3); }),
        ["gemm c overlaps b"] = Rejection.Argument("c", p => { var s = p.Take(14); Blas.Gemm(N, N, 2, 3, 4, 1, p.Take(8), 4, s.AsSpan(0, 12), 3, 0, s.AsSpan(8, 6), 3); }),
        ["gemm transA unknown"] = Rejection.OutOfRange("transA", p => Blas.Gemm((Transpose)113, N, 2, 3, 4, 1, p.Take(8), 4, p.Take(12), 3, 0, p.Take(6), 3)),
        ["gemm transB unknown"] = Rejection.OutOfRange("transB", p => Blas.Gemm(N, (Transpose)0, 2, 3, 4, 1, p.Take(8), 4, p.Take(12), 3, 0, p.Take(6), 3)),
        ["gemm layout unknown"] = Rejection.OutOfRange("layout", p => Blas.Gemm((MatrixLayout)103, N, N, 2, 3, 4, 1, p.Take(8), 4, p.Take(12), 3, 0, p.Take(6), 3)),

        ["gemv m < 0"] = Rejection.OutOfRange("m", p => Blas.Gemv(N, -1, 3, 1, p.Take(6), 3, p.Take(3), 0, p.Take(2))),
        ["gemv n < 0"] = Rejection.OutOfRange("n", p => Blas.Gemv(N, 2, -1, 1, p.Take(6), 3, p.Take(3), 0, p.Take(2))),
        ["gemv lda < n"] = Rejection.OutOfRange("lda", p => Blas.Gemv(N, 2, 3, 1, p.Take(6), 2, p.Take(3), 0, p.Take(2))),
        ["gemv a too short"] = Rejection.Argument("a", p => Blas.Gemv(N, 2, 3, 1, p.Take(5), 3, p.Take(3), 0, p.Take(2))),
        ["gemv x too short"] = Rejection.Argument("x", p => Blas.Gemv(N, 2, 3, 1, p.Take(6), 3, p.Take(2), 0, p.Take(2))),
        ["gemv y too short"] = Rejection.Argument("y", p => Blas.Gemv(N, 2, 3, 1, p.Take(6), 3, p.Take(3), 0, p.Take(1))),
        ["gemv y too short (transposed: n)"] = Rejection.Argument("y", p => Blas.Gemv(T, 2, 3, 1, p.Take(6), 3, p.Take(2), 0, p.Take(2))),
        ["gemv y overlaps a"] = Rejection.Argument("y", p => { var s = p.Take(8); Blas.Gemv(N, 2, 3, 1, s.AsSpan(0, 6), 3, p.Take(3), 0, s.AsSpan(5, 2)); }),
        ["gemv y overlaps x"] = Rejection.Argument("y", p => { var s = p.Take(4); Blas.Gemv(N, 2, 3, 1, p.Take(6), 3, s.AsSpan(0, 3), 0, s.AsSpan(2, 2)); }),
        ["gemv trans unknown"] = Rejection.OutOfRange("trans", p => Blas.Gemv((Transpose)(-1), 2, 3, 1, p.Take(6), 3, p.Take(3), 0, p.Take(2))),
        ["gemv layout unknown"] = Rejection.OutOfRange("layout", p => Blas.Gemv((MatrixLayout)0, N, 2, 3, 1, p.Take(6), 3, p.Take(3), 0, p.Take(2))),

        ["syrk n < 0"] = Rejection.OutOfRange("n", p => Blas.Syrk(Triangle.Upper, N, -1, 2, 1, p.Take(6), 2, 0, p.Take(9), 3)),
        ["syrk k < 0"] = Rejection.OutOfRange("k", p => Blas.Syrk(Triangle.Upper, N, 3, -1, 1, p.Take(6), 2, 0, p.Take(9), 3)),
        ["syrk lda < k"] = Rejection.OutOfRange("lda", p => Blas.Syrk(Triangle.Upper, N, 3, 2, 1, p.Take(6), 1, 0, p.Take(9), 3)),
        ["syrk lda < n (Aᵀ stored k×n)"] = Rejection.OutOfRange("lda", p => Blas.Syrk(Triangle.Upper, T, 3, 2, 1, p.Take(6), 2, 0, p.Take(9), 3)),
        ["syrk ldc < n"] = Rejection.OutOfRange("ldc", p => Blas.Syrk(Triangle.Upper, N, 3, 2, 1, p.Take(6), 2, 0, p.Take(9), 2)),
        ["syrk a too short"] = Rejection.Argument("a", p => Blas.Syrk(Triangle.Upper, N, 3, 2, 1, p.Take(5), 2, 0, p.Take(9), 3)),
        ["syrk c too short"] = Rejection.Argument("c", p => Blas.Syrk(Triangle.Upper, N, 3, 2, 1, p.Take(6), 2, 0, p.Take(8), 3)),
        ["syrk c overlaps a"] = Rejection.Argument("c", p => { var s = p.Take(14); Blas.Syrk(Triangle.Upper, N, 3, 2, 1, s.AsSpan(0, 6), 2, 0, s.AsSpan(5, 9), 3); }),
        ["syrk uplo unknown"] = Rejection.OutOfRange("uplo", p => Blas.Syrk((Triangle)123, N, 3, 2, 1, p.Take(6), 2, 0, p.Take(9), 3)),
        ["syrk trans unknown"] = Rejection.OutOfRange("trans", p => Blas.Syrk(Triangle.Lower, (Transpose)1, 3, 2, 1, p.Take(6), 2, 0, p.Take(9), 3)),
        ["syrk layout unknown"] = Rejection.OutOfRange("layout", p => Blas.Syrk((MatrixLayout)(-101), Triangle.Upper, N, 3, 2, 1, p.Take(6), 2, 0, p.Take(9), 3)),

        ["axpy lengths differ"] = Rejection.Argument("y", p => Blas.Axpy(2, p.Take(3), p.Take(2))),
        // Overlapping x and y made MKL's daxpy return neither the sequential nor the old-value result.
        ["axpy y overlaps x"] = Rejection.Argument("y", p => { var s = p.Take(5); Blas.Axpy(2, s.AsSpan(0, 4), s.AsSpan(1, 4)); }),
        ["axpy y is x"] = Rejection.Argument("y", p => { var s = p.Take(4); Blas.Axpy(2, s, s); }),
        ["dot lengths differ"] = Rejection.Argument("y", p => Blas.Dot(p.Take(3), p.Take(4))),
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void IsRejectedWithTheParameterNameBeforeAnyWrite(string name) => Cases[name].Verify();

    [Fact]
    public void EveryBaselineIsValid()
    {
        // The cases above are one-argument changes of these calls, which must succeed (and compute: 2×3 result
        // of ones·ones over k = 4 is 4 everywhere; gemv rows sum to 3; syrk's upper triangle is 2).
        double[] Ones(int n) => Enumerable.Repeat(1.0, n).ToArray();
        var c = new double[6];
        Blas.Gemm(N, N, 2, 3, 4, 1, Ones(8), 4, Ones(12), 3, 0, c, 3);
        Assert.All(c, v => Assert.Equal(4.0, v));
        var y = new double[2];
        Blas.Gemv(N, 2, 3, 1, Ones(6), 3, Ones(3), 0, y);
        Assert.All(y, v => Assert.Equal(3.0, v));
        var g = new double[9];
        Blas.Syrk(Triangle.Upper, N, 3, 2, 1, Ones(6), 2, 0, g, 3);
        Assert.Equal([2, 2, 2, 0, 2, 2, 0, 0, 2], g);
    }
}
