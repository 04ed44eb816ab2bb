using System.Globalization;
using Pbgd.Checkpoints;
using Pbgd.Reporting;
using ScottPlot;

namespace Pbgd.Benchmarks;

/// <summary>
/// PBGD-B hyper-cleaning iteration time and peak memory against N = 10⁴ … 10⁶ (m = 784, c = 10, N' = 5 000, synthetic
/// Gaussian data) for each exact solver — normal equations, conjugate gradients, auto (the cost model's choice) and QR up to
/// 3·10⁵ — on one process with 2 threads and on 2 MPI ranks with 1 thread each (per rank), with each solver's fitted
/// exponent of time ∝ N^k. Every measurement is its own process (<see cref="MpiWorker"/>), so a size's memory figure is its
/// own. --max N stops earlier. Writes results/scaling.md, scaling.csv (the plot's numbers and the fits) and scaling.png/.svg.
/// </summary>
public static class ScalingStudy
{
    public static int Run(string resultsDirectory, string[] args)
    {
        const int m = 784, c = 10, nVal = 5_000;
        int max = Array.IndexOf(args, "--max") is var i and >= 0 ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 1_000_000;
        bool withMpi = MpiStudy.HaveMpirun && !args.Contains("--no-mpi");
        var sizes = new[] { 10_000, 30_000, 100_000, 300_000, 1_000_000 }.Where(n => n <= max).ToArray();
        var solvers = new (string Name, int MaxN)[] { ("normal", 1_000_000), ("cg", 1_000_000), ("auto", 1_000_000), ("qr", 300_000) };
        string scratch = Directory.CreateTempSubdirectory("pbgd-scaling-").FullName;
        string loadAtStart = MpiStudy.LoadAverage();
        var lines = new List<string>
        {
            $"# Scaling of the PBGD-B iteration in N, per exact solver (m = {m}, c = {c}, N' = {nVal}, synthetic Gaussian data)",
            "",
            "`dotnet cake --target=Bench --bench=scaling` (`--bench scaling` of benchmarks/Pbgd.Benchmarks). Each cell is its own",
            "process: 1 process × 2 threads, or `mpirun -np 2` × 1 thread (per rank: the slowest rank's time, the larger rank's",
            "memory). Times: mean of 4 iterations after 2 warm-up iterations (the conjugate-gradient preconditioner refresh, every",
            "12 solves, falls in about one of three such windows). Peak resident: VmHWM reset after setup, so it is the iterations'",
            "high-water mark; data set: X_trn in doubles. The machine is shared with other work: its load averages are at the end.",
            "",
            "| solver | N | ms / iteration, 1 × 2 threads | ms / iteration, 2 ranks × 1 thread | peak resident MB, 1 process | peak MB per rank, 2 ranks | X_trn MB | exact solves (1 process) |",
            "|---|---|---|---|---|---|---|---|",
        };
        var measured = new List<(string Solver, int N, double Ms, double PeakMb)>();
        var fits = new Dictionary<string, (double Slope, double Intercept)>();
        foreach (var (solver, solverMax) in solvers)
        {
            var logN = new List<double>();
            var logT = new List<double>();
            foreach (int n in sizes.Where(n => n <= solverMax))
            {
                string common = $"--n {n} --val {nVal} --m {m} --c {c} --solver {solver} --warmup 2 --iterations 4";
                var one = MpiWorker.Launch(1, common + " --threads 2", scratch);
                // QR (like the SVD) needs every row in one process: it has no 2-rank cell.
                var two = withMpi && solver != "qr" ? MpiWorker.Launch(2, common + " --threads 1", scratch) : null;
                double mean = one.IterationMs.Average();
                lines.Add(FormattableString.Invariant(
                    $"| {solver} | {n:N0} | {mean:F0} | {(two is null ? "—" : two.IterationMs.Average().ToString("F0", CultureInfo.InvariantCulture))} | {one.PeakResidentMb:F0} | {(two is null ? "—" : two.PeakResidentMb.ToString("F0", CultureInfo.InvariantCulture))} | {8.0 * n * m / 1e6:F0} | {string.Join(", ", one.Solves.Where(s => s.Value > 0).Select(s => $"{s.Key} {s.Value}"))} |"));
                Console.WriteLine(lines[^1]);
                measured.Add((solver, n, mean, one.PeakResidentMb));
                logN.Add(Math.Log(n));
                logT.Add(Math.Log(mean));
            }
            if (logN.Count >= 2)
            {
                var (slope, intercept) = LeastSquaresLine.Fit([.. logN], [.. logT]);
                fits[solver] = (slope, intercept);
                lines.Add(FormattableString.Invariant($"| {solver}: time ∝ N^{slope:F2} | | | | | | | |"));
            }
        }
        lines.Add("");
        lines.Add("auto weighs the normal equations' Gram update (N·m² flops per new u) against conjugate gradients' passes over X: at");
        lines.Add("m = 784 it chooses cg from the first solve, so its rows equal cg's. QR stops at 3·10⁵: at 10⁶ its stacked copy");
        lines.Add("(6.3 GB) next to the data would need ≈ 13 GB and ≈ 1 min per iteration on this shared machine.");
        lines.Add("");
        lines.Add($"Load average of the machine (/proc/loadavg, 2 cores) when the study started: {loadAtStart}; when it ended: {MpiStudy.LoadAverage()}.");
        File.WriteAllLines(Path.Combine(resultsDirectory, "scaling.md"), lines);
        WriteFigure(resultsDirectory, measured, fits, m, c, nVal);
        Directory.Delete(scratch, recursive: true);
        return 0;
    }

    // scaling.csv (the plot's numbers, with each solver's fitted law ms = exp(intercept)·N^k at each size) and the plot:
    // time per iteration of one process against N, both logarithmic, the measurements as markers and the fits as lines.
    private static void WriteFigure(string resultsDirectory, List<(string Solver, int N, double Ms, double PeakMb)> measured,
        Dictionary<string, (double Slope, double Intercept)> fits, int m, int c, int nVal)
    {
        var inv = CultureInfo.InvariantCulture;
        AtomicFile.WriteText(Path.Combine(resultsDirectory, "scaling.csv"), w =>
        {
            w.WriteLine("solver,n,ms_per_iteration,peak_resident_mb,fit_k,fit_log_c,fitted_ms");
            foreach (var p in measured)
            {
                var fit = fits.TryGetValue(p.Solver, out var f) ? f : (Slope: double.NaN, Intercept: double.NaN);
                w.WriteLine(string.Create(inv, $"{p.Solver},{p.N},{p.Ms:R},{p.PeakMb:R},{fit.Slope:R},{fit.Intercept:R},{Math.Exp(fit.Intercept + fit.Slope * Math.Log(p.N)):R}"));
            }
        });
        var figure = Figures.Grid(1, 1);
        var plot = figure.GetPlots()[0];
        int color = 0;
        foreach (var group in measured.GroupBy(p => p.Solver))
        {
            double[] x = group.Select(p => Math.Log10(p.N)).ToArray();
            Figures.Curve(plot, $"{group.Key} (mean of 4)", x, group.Select(p => p.Ms).ToArray(), color, logY: true, markers: true);
            if (fits.TryGetValue(group.Key, out var f))
            {
                var line = Figures.Curve(plot, string.Create(inv, $"{group.Key} fit: time ∝ N^{f.Slope:F2}"), x,
                    group.Select(p => Math.Exp(f.Intercept + f.Slope * Math.Log(p.N))).ToArray(), color, logY: true);
                if (line is not null) line.LineWidth = 1;
            }
            color++;
        }
        Figures.Decorate(plot, $"PBGD-B iteration time against N (m = {m}, c = {c}, N' = {nVal}; 1 process, 2 threads)", "log10(N)", "ms per iteration", logY: true, legend: Alignment.UpperLeft);
        Figures.Save(figure, resultsDirectory, "scaling", 1, 1);
    }
}
