using Pbgd.Native;

namespace Pbgd.Tests.Native;

/// The hot wrappers allocate no managed memory per call (measured with the thread's allocation counter).
public class AllocationTests
{
    [Fact]
    public void HotWrappersAllocateNothing()
    {
        var a = new double[64 * 32];
        var b = new double[32 * 8];
        var c = new double[64 * 8];
        var x = new double[32];
        var y = new double[64];
        var g = new double[32 * 32];
        var spd = new double[32 * 32];
        var rhs = new double[32 * 2];
        var s = new double[32];
        var random = new Random(1);
        foreach (var arr in new[] { a, b, x }) for (int i = 0; i < arr.Length; i++) arr[i] = random.NextDouble();
        for (int i = 0; i < 32; i++) spd[i * 32 + i] = 2;
        Lapack.Potrf(Triangle.Upper, 32, spd, 32);
        var ls = new double[64 * 32];
        var lsb = new double[64 * 2];

        long before = 0;
        for (int k = 0; k < 21; k++)
        {
            if (k == 1) before = GC.GetAllocatedBytesForCurrentThread(); // iteration 0 warms up (JIT, MKL init)
            Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, 64, 8, 32, 1, a, 32, b, 8, 0, c, 8);
            Blas.Gemv(Transpose.NoTrans, 64, 32, 1, a, 32, x, 0, y);
            Blas.Syrk(Triangle.Upper, Transpose.Trans, 32, 64, 1, a, 32, 0, g, 32);
            Blas.Axpy(0.5, x, y.AsSpan(0, 32));
            _ = Blas.Dot(x, x);
            _ = Blas.Nrm2(x);
            Blas.Scal(1.0, y);
            Lapack.Potrs(Triangle.Upper, 32, 2, spd, 32, rhs, 2);
            a.AsSpan().CopyTo(ls);
            _ = Lapack.Gelsd(64, 32, 2, ls, 32, lsb, 2, s, 1e-12);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
