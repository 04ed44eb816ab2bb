using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Benchmarks;

/// Measures, in one run, the machine's dgemm GFLOP/s and sustained read bandwidth, then the PBGD-B
/// hyper-cleaning iteration, and prints the achieved fraction of the roofline bound max(B/bandwidth, F/peak)
/// where B and F are fixed by the problem (benchmark issue): B = two passes over X_trn and X_val, F = the
/// flops of X_trn·[W | W*], X_trnᵀ·R, X_val·W and X_valᵀ·R_val. Work an oracle does beyond that (our QR
/// solves) shows as lost efficiency. Times are medians; ratios are what to compare across runs.
public static class MachineLimits
{
    public static int Run(string resultsDirectory)
    {
        int threads = Environment.ProcessorCount;
        MklLibrary.SetThreads(threads);
        double peak = DgemmGflops(2000);
        double bandwidth = ReadBandwidthGBs(threads);
        var lines = new List<string>
        {
            $"# Machine limits and roofline fractions ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {threads} threads)",
            "",
            $"- MKL: {MklLibrary.VersionString}; kernels: {string.Join(", ", MklLibrary.LoadedKernelLibraries().Select(Path.GetFileName))}",
            $"- dgemm 2000×2000×2000: **{peak:F1} GFLOP/s**",
            $"- sustained read bandwidth (256 MiB, {threads} threads): **{bandwidth:F1} GB/s**",
            "",
            "The native C baseline implements the QR formulation (call for call), so it is compared with the QR row.",
            "",
            "| problem | N | N' | m | c | ms / iteration (median of 5; cg: of 21) | roofline bound (ms) | fraction of roofline | native C (ms) | managed / native | managed bytes / iteration |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        };
        var native = NativeReference.TryLoad(out string nativeWhere);
        lines.Insert(5, $"- native baseline: {nativeWhere}");
        foreach (var (n, nVal) in new[] { (5_000, 5_000), (60_000, 5_000) })
        foreach (var solver in new[] { "auto", "cg", "qr" })
        {
            var (ms, nativeMs, allocated) = HyperCleaningIteration(n, nVal, 784, 10, solver == "qr" ? native : null, solver);
            double bytes = 2.0 * 8 * (n + nVal) * 784;
            double flops = 2.0 * 784 * 10 * (2 * n + n + nVal + nVal);
            double bound = 1e3 * Math.Max(bytes / (bandwidth * 1e9), flops / (peak * 1e9));
            string name = solver switch
            {
                "qr" => "exact QR (gels)",
                "cg" => "exact cg (warm-started PCG, backward error ≤ 1e−11)",
                _ => "exact normal equations (syrk + Cholesky)",
            };
            lines.Add($"| PBGD-B hyper-cleaning, squared, {name} | {n} | {nVal} | 784 | 10 | {ms:F1} | {bound:F3} | {bound / ms:P2} | {(double.IsNaN(nativeMs) ? "—" : nativeMs.ToString("F1"))} | {(double.IsNaN(nativeMs) ? "—" : (ms / nativeMs).ToString("F3"))} | {allocated} |");
        }
        File.WriteAllLines(Path.Combine(resultsDirectory, "machine-limits.md"), lines);
        foreach (var line in lines) Console.WriteLine(line);
        return 0;
    }

    internal static double DgemmGflops(int n)
    {
        var a = new double[n * n];
        var c = new double[n * n];
        new Random(1).NextBytes(MemoryMarshal.AsBytes(a.AsSpan()));
        for (int i = 0; i < a.Length; i++) a[i] = (i % 97) * 0.01;
        var times = new List<double>();
        for (int r = 0; r < 5; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, n, n, n, 1.0, a, n, a, n, 0.0, c, n);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        return 2.0 * n * n * n / times.Min() / 1e9;
    }

    // Single-precision peak, from ssyrk (Pbgd.Native binds no sgemm): n²k flops for C = AᵀA with A k×n.
    internal static double SsyrkGflops(int n)
    {
        var a = new float[n * n];
        var c = new float[n * n];
        for (int i = 0; i < a.Length; i++) a[i] = (i % 97) * 0.01f;
        var times = new List<double>();
        for (int r = 0; r < 5; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Blas.Syrk(Triangle.Upper, Transpose.Trans, n, n, 1f, a, n, 0f, c, n);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        return 1.0 * n * n * n / times.Min() / 1e9;
    }

    // STREAM-like read kernel: vectorised sums over an array 8× the 32 MiB L3, split statically across threads.
    internal static double ReadBandwidthGBs(int threads)
    {
        var data = new double[32 * 1024 * 1024];
        for (int i = 0; i < data.Length; i++) data[i] = i & 7;
        var best = double.MaxValue;
        for (int r = 0; r < 5; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            var sums = new double[threads];
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                int chunk = data.Length / threads;
                var span = data.AsSpan(t * chunk, chunk);
                var acc = Vector<double>.Zero;
                var vectors = MemoryMarshal.Cast<double, Vector<double>>(span);
                foreach (var v in vectors) acc += v;
                sums[t] = Vector.Sum(acc);
            });
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
            if (sums.Sum() < 0) Console.WriteLine(); // keeps the sums alive
        }
        return data.Length * 8.0 / best / 1e9;
    }

    private static (double Ms, double NativeMs, long Allocated) HyperCleaningIteration(int n, int nVal, int m, int c, NativeReference? native,
        string exactSolver)
    {
        var (solver, state, problem, data) = Workloads.HyperCleaning(n, nVal, m, c, new HyperCleaningSquaredOptions { ExactSolver = exactSolver });
        // The cg solver's warm start pays off over consecutive iterations, so it is timed over more of them.
        int steps = exactSolver == "cg" ? 21 : 5;
        var times = new List<double>(steps); // sized up front: the harness itself must not allocate in the timed loop
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < steps; k++)
        {
            long t0 = Stopwatch.GetTimestamp();
            solver.Step(state);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        long allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / steps;
        times.Sort();
        double nativeMs = double.NaN;
        if (native is not null)
        {
            // Same data, γ and step as the managed run; interleaving is avoided so caches see the same pattern.
            var u = new double[n];
            var w = new double[m * c];
            var work = new double[native.Workspace(n, nVal, m, c)];
            var nativeTimes = new List<double>();
            for (int k = 0; k < 6; k++)
            {
                long t0 = Stopwatch.GetTimestamp();
                double l = native.Iteration(n, nVal, m, c, data.XTrain.Data, data.YTrain.Data, data.XValidation.Data, data.YValidation.Data,
                    10, state.Last.StepSize, problem.Options.Radius, u, w, work);
                if (k > 0) nativeTimes.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                if (!double.IsFinite(l)) throw new InvalidOperationException("the native baseline's solve failed");
            }
            nativeTimes.Sort();
            nativeMs = nativeTimes[2];
        }
        return (times[times.Count / 2], nativeMs, allocated);
    }
}
