using Pbgd.Native;

namespace Pbgd.Tests.Native;

/// Every size is checked in managed code before a native call, and the exception names the argument.
public class ValidationTests
{
    private static void Expect<T>(string param, Action call) where T : ArgumentException
    {
        var e = Assert.ThrowsAny<T>(call);
        Assert.Equal(param, e.ParamName);
    }

    [Fact]
    public void GemmRejectsBadSizes()
    {
        var a = new double[6];
        var c = new double[6];
        Expect<ArgumentOutOfRangeException>("m", () => Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, -1, 2, 3, 1, a, 3, a, 2, 0, c, 2));
        Expect<ArgumentOutOfRangeException>("lda", () => Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, 2, 2, 3, 1, a, 2, a, 2, 0, c, 2));
        Expect<ArgumentException>("b", () => Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, 2, 3, 3, 1, a, 3, new double[8], 3, 0, c, 3));
        Expect<ArgumentException>("c", () => Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, 2, 3, 3, 1, a, 3, new double[9], 3, 0, new double[5], 3));
        Expect<ArgumentException>("c", () => Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, 2, 2, 3, 1, a, 3, new double[6], 2, 0, a.AsSpan(0, 4), 2));
        Expect<ArgumentOutOfRangeException>("transA", () => Blas.Gemm((Transpose)7, Transpose.NoTrans, 2, 2, 3, 1, a, 3, a, 2, 0, c, 2));
        Expect<ArgumentOutOfRangeException>("layout", () => Blas.Gemm((MatrixLayout)1, Transpose.NoTrans, Transpose.NoTrans, 2, 2, 3, 1, a, 3, a, 2, 0, c, 2));
    }

    [Fact]
    public void OtherWrappersRejectBadSizes()
    {
        Expect<ArgumentException>("x", () => Blas.Gemv(Transpose.NoTrans, 2, 3, 1, new double[6], 3, new double[2], 0, new double[2]));
        Expect<ArgumentException>("y", () => Blas.Axpy(1, new double[3], new double[2]));
        Expect<ArgumentException>("y", () => Blas.Dot(new double[3], new double[2]));
        Expect<ArgumentOutOfRangeException>("uplo", () => Blas.Syrk((Triangle)3, Transpose.NoTrans, 2, 2, 1, new double[4], 2, 0, new double[4], 2));
        Expect<ArgumentException>("b", () => Lapack.Gels(Transpose.NoTrans, 4, 2, 1, new double[8], 2, new double[3], 1));
        Expect<ArgumentException>("s", () => Lapack.Gelsd(4, 3, 1, new double[12], 3, new double[4], 1, new double[2], -1));
        Expect<ArgumentOutOfRangeException>("rcond", () => Lapack.Gelsd(4, 3, 1, new double[12], 3, new double[4], 1, new double[3], double.NaN));
        Expect<ArgumentOutOfRangeException>("lda", () => Lapack.Potrf(Triangle.Upper, 3, new double[9], 2));
        Expect<ArgumentException>("w", () => Lapack.Syevd(true, Triangle.Upper, 3, new double[9], 3, new double[2]));
        Expect<ArgumentException>("x", () => Lapack.Gglse(3, 2, 1, new double[6], 2, new double[2], 2, new double[3], new double[1], new double[1]));
    }
}
