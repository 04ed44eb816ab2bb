using Pbgd.Native;
using Pbgd.Tests.Reference;

namespace Pbgd.Tests.Native;

/// The hot wrappers allocate no managed memory per call: after a warm-up (JIT, MKL's first-call
/// initialisation), a window of 100 calls must leave the thread's allocation counter exactly where it was. Each measured
/// iteration restores its inputs with span copies (which allocate nothing) so the calls do real work, and the
/// last result is compared with the managed reference to show it (relative 1e-12: a coarse "it computed"
/// check; precision is tested elsewhere).
[Trait("Category", "Allocation")] // out of mutation runs: the instrumented assembly allocates
public class AllocationTests
{
    public static TheoryData<string> Wrappers() => ["Gemm", "Gemv", "Syrk", "Axpy", "Dot", "Nrm2", "Scal", "Potrs", "Gelsd"];

    [Theory]
    [MemberData(nameof(Wrappers))]
    public void HotWrapperAllocatesNothingPerCall(string wrapper)
    {
        var (call, check) = Workload(wrapper, new Random(Seed.Of(wrapper.Length, wrapper[0], wrapper[^1])));
        for (int i = 0; i < 3; i++) call();
        // The runtime itself may allocate on this thread inside a window (tiered JIT promotes a method after 30 calls
        // and queues its recompilation from the calling thread: 5 024 bytes once in CI). So up to five windows of
        // 100 calls; a wrapper that allocates per call allocates in every one of them and still fails.
        var windows = new List<long>();
        for (int w = 0; w < 5 && (windows.Count == 0 || windows[^1] != 0); w++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++) call();
            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(windows[^1] == 0, $"bytes allocated per window of 100 calls: {string.Join(", ", windows)}");
        check();
    }

    private static double[] Values(Random random, int n) => Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble() - 1).ToArray();

    private static void Close(double[] expected, double[] actual)
    {
        double err = 0, norm = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            err += Math.Pow(actual[i] - expected[i], 2);
            norm += expected[i] * expected[i];
        }
        Assert.True(Math.Sqrt(err) <= 1e-12 * Math.Sqrt(norm), $"result differs from the reference by {Math.Sqrt(err):E3}");
    }

    private static (Action Call, Action Check) Workload(string wrapper, Random random)
    {
        const int m = 64, n = 32, k = 48;
        var a = Values(random, m * k);
        var b = Values(random, k * n);
        var x = Values(random, n);
        var y0 = Values(random, n);
        var y = (double[])y0.Clone();
        double result = 0;
        switch (wrapper)
        {
            case "Gemm":
            {
                var c = new double[m * n];
                var expected = new double[m * n];
                ManagedBlas.Gemm(MatrixLayout.RowMajor, Transpose.NoTrans, Transpose.NoTrans, m, n, k, 1, a, k, b, n, 0, expected, n);
                return (() => Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, m, n, k, 1, a, k, b, n, 0, c, n), () => Close(expected, c));
            }
            case "Gemv":
            {
                var v = Values(random, k);
                var outV = new double[m];
                var expected = new double[m];
                ManagedBlas.Gemv(MatrixLayout.ColumnMajor, Transpose.Trans, k, m, 1, a, k, v, 0, expected);
                return (() => Blas.Gemv(MatrixLayout.ColumnMajor, Transpose.Trans, k, m, 1, a, k, v, 0, outV), () => Close(expected, outV));
            }
            case "Syrk":
            {
                var g = new double[k * k];
                var expected = new double[k * k];
                ManagedBlas.Syrk(MatrixLayout.RowMajor, Triangle.Upper, Transpose.Trans, k, m, 1, a, k, 0, expected, k);
                return (() => Blas.Syrk(Triangle.Upper, Transpose.Trans, k, m, 1, a, k, 0, g, k), () => Close(expected, g));
            }
            case "Axpy":
            {
                var expected = (double[])y0.Clone();
                ManagedBlas.Axpy(-0.7, x, expected);
                return (() => { y0.AsSpan().CopyTo(y); Blas.Axpy(-0.7, x, y); }, () => Close(expected, y));
            }
            case "Dot":
                return (() => result = Blas.Dot(x, y0), () => Close([ManagedBlas.Dot(x, y0)], [result]));
            case "Nrm2":
                return (() => result = Blas.Nrm2(a), () => Close([ManagedBlas.Nrm2(a)], [result]));
            case "Scal":
            {
                var expected = (double[])y0.Clone();
                ManagedBlas.Scal(1.5, expected);
                return (() => { y0.AsSpan().CopyTo(y); Blas.Scal(1.5, y); }, () => Close(expected, y));
            }
            case "Potrs":
            {
                // SPD A = GᵀG + n·I, factored once; each call solves for the same right-hand sides afresh.
                var g = ManagedLapack.Random(random, n, n);
                var spd = ManagedLapack.Multiply(ManagedLapack.Transposed(g), g);
                for (int i = 0; i < n; i++) spd[i, i] += n;
                var factor = spd.Cast<double>().ToArray();
                Lapack.Potrf(Triangle.Lower, n, factor, n);
                var rhs = Values(random, n * 2);
                var sol = new double[n * 2];
                var expected = ManagedLapack.Solve(spd, Dense(rhs, n, 2)).Cast<double>().ToArray();
                return (() => { rhs.AsSpan().CopyTo(sol); Lapack.Potrs(Triangle.Lower, n, 2, factor, n, sol, 2); }, () => Close(expected, sol));
            }
            case "Gelsd":
            {
                // Over-determined m×n least squares; A is destroyed by each call, so it is restored first.
                var aWork = new double[m * n];
                var a0 = a.AsSpan(0, m * n).ToArray();
                var rhs = Values(random, m);
                var bWork = new double[m];
                var s = new double[n];
                var expected = ManagedLapack.LeastSquares(Dense(a0, m, n), Dense(rhs, m, 1)).Cast<double>().ToArray();
                return (() =>
                {
                    a0.AsSpan().CopyTo(aWork);
                    rhs.AsSpan().CopyTo(bWork);
                    result = Lapack.Gelsd(m, n, 1, aWork, n, bWork, 1, s, -1);
                }, () =>
                {
                    Assert.Equal(n, (int)result);
                    Close(expected, bWork[..n]);
                });
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(wrapper), wrapper, null);
        }
    }

    private static double[,] Dense(double[] rowMajor, int rows, int cols)
    {
        var d = new double[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) d[i, j] = rowMajor[i * cols + j];
        return d;
    }
}
