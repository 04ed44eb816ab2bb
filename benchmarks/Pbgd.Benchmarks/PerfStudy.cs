using System.Diagnostics;
using Pbgd.Data;
using Pbgd.Experiments;
using Pbgd.LeastSquares;
using Pbgd.Linalg;
using Pbgd.Native;
using Pbgd.Problems;
using Pbgd.Solvers;

namespace Pbgd.Benchmarks;

/// `--bench perf` (issue 8): ms per iteration of the two real hyper-cleaning workloads on the V-PBGD MNIST split
/// (5 000 train / 5 000 validation), each variant next to the peer implementations' figures from the latest
/// `--bench peers` run (results/peers.md: the peer's ms per iteration and the ratio measured there side by side, never a
/// division of this run's time by another run's) and the roofline bound measured in the same run: B = two passes over X_trn and X_val, F = the flops of the skinny products,
/// bound = max(B/bandwidth, F/dgemm peak). Variants switch one lever at a time, so ratios within the run show what
/// each lever gained. Times are medians; the machine is shared, so compare ratios, not absolute times.
public static class PerfStudy
{
    public static int Run(string resultsDirectory, string[] args)
    {
        int threads = Environment.ProcessorCount;
        MklLibrary.SetThreads(threads);
        // The machine is shared: a second measurement at the end guards against a dgemm run that lost a core.
        double peak = MachineLimits.DgemmGflops(2000);
        double bandwidth = MachineLimits.ReadBandwidthGBs(threads);
        double peakSingle = MachineLimits.SsyrkGflops(2000);
        bool quick = args.Contains("--quick");
        // --cg-only: just the conjugate-gradient rows (for tuning the solver).
        bool cgOnly = args.Contains("--cg-only");
        // --ce-only: just the cross-entropy rows (for tuning the kernels).
        bool ceOnly = args.Contains("--ce-only");
        var lines = new List<string>
        {
            $"# Hyper-cleaning iteration performance ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {threads} threads)",
            "",
            $"- MKL: {MklLibrary.VersionString}; dgemm 2000³: **{peak:F1} GFLOP/s**; ssyrk 2000³ (single-precision peak): **{peakSingle:F1} GFLOP/s**; read bandwidth: **{bandwidth:F1} GB/s**",
        };
        void Print(string line) { lines.Add(line); Console.WriteLine(line); }
        foreach (var l in lines) Console.WriteLine(l);
        var peers = PeerFigures.Load(resultsDirectory);
        Print(peers is null
            ? $"- reference implementations: {PeerFigures.Missing}"
            : $"- reference implementations: results/peers.md ({peers.Date}): the peer's ms per iteration and the peer ÷ Pbgd ratio measured there, side by side with Pbgd's CLI (this run's times are not divided by that run's)");

        var vpbgd = HyperCleaningConfig.Vpbgd with { Iterations = int.MaxValue, LogEvery = 1_000_000 };
        var ce = vpbgd.LoadDataset(null);
        if (ce.Fallback is { } missing)
            Print($"- {missing.Requested} not found in {Path.GetFullPath(missing.Folder)}: using the embedded synthetic data set instead.");
        var ceData = ce.Data;
        var squared = HyperCleaningConfig.Default with { Iterations = int.MaxValue, LogEvery = 1_000_000 };
        var sqData = squared.LoadDataset(null).Data;
        Print($"- data: {ceData.Description}; N = {ceData.XTrain.Rows}, N' = {ceData.XValidation.Rows}, m = {ceData.XTrain.Columns} (cross-entropy) / {sqData.XTrain.Columns} (squared, bias feature), c = {ceData.ClassCount}");
        Print("");
        if (!cgOnly) Products(ceData.XTrain, Print, bandwidth);
        Print("");
        Print("| workload | variant | ms / iteration (median) | mean (ms) | reference: peer ms / iteration (results/peers.md) | peer ÷ Pbgd, side by side (results/peers.md) | roofline bound (ms) | fraction of roofline (median) | managed bytes / iteration |");
        Print("|---|---|---|---|---|---|---|---|---|");

        int n = ceData.XTrain.Rows, nVal = ceData.XValidation.Rows, c = ceData.ClassCount;
        // Single: X in 4 bytes and products at the single-precision peak.
        double Bound(int m, double products, bool single = false) =>
            1e3 * Math.Max(2.0 * (single ? 4 : 8) * (n + nVal) * m / (bandwidth * 1e9), 2.0 * m * c * products / ((single ? peakSingle : peak) * 1e9));
        // V-PBGD: oracle step (X_trn·ω, X_trnᵀ·coef), f (X_val·v, X_valᵀ·coef), g at v and at ω (two each on X_trn).
        double ceBound = Bound(ceData.XTrain.Columns, 6.0 * n + 2.0 * nVal);
        double ceBoundSingle = Bound(ceData.XTrain.Columns, 6.0 * n + 2.0 * nVal, single: true);
        // PBGD-B (the benchmark issue's count): X_trn·[W | W*], X_trnᵀ·R, X_val·W, X_valᵀ·R_val.
        double sqBound = Bound(sqData.XTrain.Columns, 3.0 * n + 2.0 * nVal);

        foreach (var (name, separate, precision) in cgOnly ? [] : Variants.CrossEntropy)
        {
            var config = vpbgd with { Precision = precision };
            var problem = HyperCleaningExperiment.BuildProblem(config, ceData);
            var (ms, mean, bytes) = Time((PbgdSolver)HyperCleaningExperiment.BuildSolver(config, separate ? Variants.Unpair(problem) : problem, null), quick ? 10 : 60);
            // The peers run the one-pass configuration; the separate-passes variant is a lever of ours, not paired.
            Print(Row("V-PBGD protocol: cross-entropy, PBGD-J, iterative oracle T = 1", name, ms, mean,
                Reference(peers, precision == DataPrecision.Single ? "ce-float32" : "ce-float64", paired: !separate),
                precision == DataPrecision.Single ? ceBoundSingle : ceBound, bytes));
        }
        foreach (var (name, solverKind, tolerance, precision) in ceOnly ? [] : Variants.Squared)
        {
            if ((quick || cgOnly) && solverKind == "qr") continue;
            var problem = new HyperCleaningSquaredProblem(sqData.XTrain, sqData.YTrain, sqData.XValidation, sqData.YValidation,
                new HyperCleaningSquaredOptions { ExactSolver = solverKind, ConjugateGradientTolerance = tolerance, Precision = precision });
            // PCG's cost varies with the age of its preconditioner: a longer window, and the mean next to the median.
            var (ms, mean, bytes) = Time((PbgdSolver)HyperCleaningExperiment.BuildSolver(squared, problem, null),
                solverKind != "qr" ? (quick ? 10 : 60) : quick ? 3 : 6);
            string key = solverKind switch
            {
                "auto" => "squared-auto",
                "qr" => "squared-qr",
                _ => "squared-cg",
            };
            // The peers pair the CLI's defaults of each solver (double data, tolerance 1e−11); other variants show
            // the same numpy peer's time without a side-by-side ratio.
            bool paired = precision == DataPrecision.Double && tolerance == HyperCleaningSquaredOptions.DefaultConjugateGradientTolerance;
            Print(Row("squared loss: PBGD-B, exact oracles", name, ms, mean, Reference(peers, key, paired), sqBound, bytes));
            if (problem.ExactSolver.Find<ConjugateGradientSolver>() is { Started: true } pcg)
                Console.WriteLine($"  (last PCG solve: {pcg.LastSteps} steps, backward errors {pcg.LastBackwardErrors.Lower:E1} / {pcg.LastBackwardErrors.Penalized:E1}, fallbacks {pcg.Fallbacks}; {pcg.Totals.Solves} solves, {pcg.Totals.Steps} steps, {pcg.Refreshes} refreshes taking {1e3 * pcg.RefreshSeconds / Math.Max(1, pcg.Refreshes):F1} ms each; per solve: true residuals {1e3 * pcg.PhaseSeconds[0] / pcg.Totals.Solves:F1} ms, A·P {1e3 * pcg.PhaseSeconds[1] / pcg.Totals.Solves:F1} ms, preconditioner {1e3 * pcg.PhaseSeconds[2] / pcg.Totals.Solves:F1} ms; g(u,v), g(u,ω) taken from the verifying pass {pcg.VerifiedResiduals?.Recalls ?? 0} times)");
        }
        if (args.Contains("--refresh-sweep")) RefreshSweep(sqData);
        if (!cgOnly)
        {
            Breakdown(HyperCleaningExperiment.BuildProblem(vpbgd, ceData), Print);
            Breakdown(HyperCleaningExperiment.BuildProblem(vpbgd with { Precision = DataPrecision.Single }, ceData), Print);
            if (!ceOnly) Accuracy(sqData, Print);
        }
        double peakAfter = MachineLimits.DgemmGflops(2000);
        Print($"- dgemm measured again at the end: {peakAfter:F1} GFLOP/s (the bounds above use the first measurement, {peak:F1})");
        File.WriteAllLines(Path.Combine(resultsDirectory, "perf.md"), lines);
        return 0;
    }

    // The skinny products alone: MKL's gemm against the kernels, k = 10 and 20 (side-by-side right-hand sides).
    private static void Products(Matrix x, Action<string> print, double bandwidth)
    {
        int n = x.Rows, m = x.Columns;
        print("");
        print($"| product ({n}×{m}) | k | MKL gemm (ms) | kernel (ms) | float32 kernel (ms) | one pass over X at the measured bandwidth (ms) |");
        print("|---|---|---|---|---|---|");
        // Aligned, as the problems hold their float copies.
        var xSingleBuffer = new Kernels.AlignedBuffer<float>(n * m);
        for (int i = 0; i < n * m; i++) xSingleBuffer.Span[i] = (float)x.Span[i];
        foreach (int k in new[] { 10, 20 })
        {
            var b = new double[m * k];
            var bT = new double[k * m];
            for (int i = 0; i < b.Length; i++) b[i] = bT[i] = Math.Sin(i);
            var c = new double[n * k];
            var g = new double[m * k];
            // Aligned, as the problems hold theirs.
            var workBuffer = new Kernels.AlignedBuffer<double>(Kernels.SkinnyTransposeMultiply.WorkspaceLength(n, m, k));
            double pass = 8.0 * n * m / (bandwidth * 1e9) * 1e3;
            double mklF = Median(() => Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, n, k, m, 1.0, x.Span, m, b, k, 0.0, c, k));
            double kerF = Median(() => Kernels.SkinnyMultiply.Run(x.Span, n, m, bT, k, c));
            double mklB = Median(() => Blas.Gemm(Transpose.Trans, Transpose.NoTrans, m, k, n, 1.0, x.Span, m, c, k, 0.0, g, k));
            double kerB = Median(() => Kernels.SkinnyTransposeMultiply.Run(x.Span, n, m, c, k, g, workBuffer.Span));
            var z = new double[n * k];
            double fused = Median(() => Kernels.FusedRowPass.Run(x.Span, n, m, bT, k, z, null, c, k, g, workBuffer.Span));
            double sF = Median(() => Kernels.FusedRowPass.Run(xSingleBuffer.Span, n, m, bT, k, c, null, Span<double>.Empty, 0, Span<double>.Empty, workBuffer.Span));
            double sB = Median(() => Kernels.FusedRowPass.Run(xSingleBuffer.Span, n, m, ReadOnlySpan<double>.Empty, 0, Span<double>.Empty, null, c, k, g, workBuffer.Span));
            double sFused = Median(() => Kernels.FusedRowPass.Run(xSingleBuffer.Span, n, m, bT, k, z, null, c, k, g, workBuffer.Span));
            print($"| X·B | {k} | {mklF:F2} | {kerF:F2} | {sF:F2} | {pass:F2} |");
            print($"| Xᵀ·R | {k} | {mklB:F2} | {kerB:F2} | {sB:F2} | {pass:F2} |");
            print($"| X·B and Xᵀ·R in one fused pass | {k} | {mklF + mklB:F2} (two calls) | {fused:F2} | {sFused:F2} | {pass:F2} |");
        }
    }

    // CG steps and preconditioner refreshes (deterministic counts, unlike times) over 60 PBGD-B iterations for
    // refresh policies: a refresh costs a ssyrk and two factorisations, a step one pass over X_trn.
    private static void RefreshSweep(PreparedDataset data)
    {
        var config = HyperCleaningConfig.Default with { Iterations = int.MaxValue, LogEvery = 1_000_000 };
        foreach (var precision in new[] { DataPrecision.Double, DataPrecision.Single })
        foreach (int every in new[] { 6, 12, 24 })
        foreach (int slow in new[] { 6, 10, 16 })
        {
            var problem = new HyperCleaningSquaredProblem(data.XTrain, data.YTrain, data.XValidation, data.YValidation,
                new HyperCleaningSquaredOptions { ExactSolver = "cg", Precision = precision });
            var pcg = problem.ExactSolver.Find<ConjugateGradientSolver>()!;
            (pcg.RefreshEvery, pcg.SlowSteps) = (every, slow);
            var solver = (PbgdSolver)HyperCleaningExperiment.BuildSolver(config, problem, null);
            var state = solver.Init(new double[problem.UpperDimension], new double[problem.LowerDimension]);
            long t0 = Stopwatch.GetTimestamp();
            for (int k = 0; k < 62; k++) solver.Step(state);
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / 62;
            Console.WriteLine($"refresh sweep: {precision} every {every} slow {slow}: {pcg.Totals.Solves} solves, {pcg.Totals.Steps} steps, {pcg.Refreshes} refreshes, fallbacks {pcg.Fallbacks}, {ms:F1} ms/iteration");
        }
    }

    // The same backward-error measure applied to every exact solver's W*(u) and penalized W at one u of a run.
    private static void Accuracy(PreparedDataset data, Action<string> print)
    {
        HyperCleaningSquaredProblem Make(string kind) =>
            new(data.XTrain, data.YTrain, data.XValidation, data.YValidation, new HyperCleaningSquaredOptions { ExactSolver = kind });
        var pcgProblem = Make("cg");
        var pcg = pcgProblem.ExactSolver.Find<ConjugateGradientSolver>()!;
        var random = new Random(3);
        var u = new double[pcgProblem.UpperDimension];
        for (int i = 0; i < u.Length; i++) u[i] = 4 * random.NextDouble() - 2;
        var psi = u.Select(Sigmoid.Value).ToArray();
        print("");
        print("| exact solver | solver used | normwise backward error of W*(u) | of argmin f + 10·g |");
        print("|---|---|---|---|");
        foreach (var kind in new[] { "qr", "auto", "cg" })
        {
            var p = kind == "cg" ? pcgProblem : Make(kind);
            var w1 = new double[p.LowerDimension];
            var w2 = new double[p.LowerDimension];
            var i2 = p.MinimizePenalized(u, 10, w2);
            var i1 = p.SolveLower(u, w1);
            print($"| {kind} | {i1.Solver} (rank {i1.Rank}) / {i2.Solver} | {pcg.BackwardError(LeastSquaresSystem.Lower(psi, 0), w1):E1} | {pcg.BackwardError(LeastSquaresSystem.Penalized(psi, 10, 0), w2):E1} |");
        }
    }

    // Where a V-PBGD iteration's time goes: the three passes over the data it makes.
    private static void Breakdown(IBilevelProblem problem, Action<string> print)
    {
        var u = new double[problem.UpperDimension];
        var v = new double[problem.LowerDimension];
        var w = new double[problem.LowerDimension];
        for (int i = 0; i < v.Length; i++) (v[i], w[i]) = (1e-3 * Math.Sin(i), 1e-3 * Math.Cos(i));
        var (gu, gv, gu2, gv2) = (new double[u.Length], new double[v.Length], new double[u.Length], new double[v.Length]);
        print("");
        print($"| V-PBGD pass ({(problem is HyperCleaningCrossEntropyProblem { Precision: DataPrecision.Single } ? "float32 data" : "float64 data")}) | ms (median) |");
        print("|---|---|");
        print($"| oracle step: g and ∇_v g at ω (X_trn, c = 10) | {Median(() => problem.Lower(u, w, Span<double>.Empty, gv2)):F2} |");
        print($"| f and ∇f (X_val, c = 10) | {Median(() => problem.Upper(u, v, gu, gv)):F2} |");
        if (problem is ILowerLevelPair pair)
            print($"| g at v and ω with all gradients (X_trn, 2c = 20) | {Median(() => pair.LowerPair(u, v, w, gu, gv, gu2, gv2)):F2} |");
    }

    private static double Median(Action action)
    {
        var times = new double[15];
        action();
        for (int r = 0; r < times.Length; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            action();
            times[r] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }

    private static string Row(string workload, string variant, double ms, double mean, (string Peer, string Ratio) reference, double bound, long bytes) =>
        $"| {workload} | {variant} | {ms:F2} | {mean:F2} | {reference.Peer} | {reference.Ratio} | {bound:F2} | {bound / ms:P1} | {bytes} |";

    // The reference columns of a row from results/peers.md: the peer and its ms per iteration, and the ratio measured
    // side by side there (only for the configuration the peer run paired).
    private static (string Peer, string Ratio) Reference(PeerFigures? peers, string key, bool paired)
    {
        if (peers is null) return (PeerFigures.Missing, "—");
        if (!peers.Rows.TryGetValue(key, out var row)) return ($"no {key} row in results/peers.md", "—");
        // The same peer on 1 thread (its faster setting on the shared 2-core machines), when the run measured it.
        string single = peers.Rows.TryGetValue(key + "-peer1t", out var one) ? $"; on 1 thread: {one.PeerMs:F1}" : "";
        string singleRatio = one is not null && paired ? $"; against the peer on 1 thread: {one.Ratio}" : "";
        return ($"{row.Peer}: {row.PeerMs:F1}{single}", paired ? $"{row.Ratio} (Pbgd {row.OursMs:F1} ms there){singleRatio}" : "— (variant not paired)");
    }

    // Two warm-up steps (first-call paths, the Cholesky factor of a preconditioner), then the median of `steps`.
    private static (double Median, double Mean, long Bytes) Time(PbgdSolver solver, int steps)
    {
        var state = solver.Init(new double[solver.Problem.UpperDimension], new double[solver.Problem.LowerDimension]);
        solver.Step(state);
        solver.Step(state);
        var times = new double[steps];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < steps; k++)
        {
            long t0 = Stopwatch.GetTimestamp();
            solver.Step(state);
            times[k] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        long bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / steps;
        double mean = times.Average();
        Array.Sort(times);
        Console.WriteLine($"  (min {times[0]:F2} ms, max {times[^1]:F2} ms)");
        return (times[steps / 2], mean, bytes);
    }
}
