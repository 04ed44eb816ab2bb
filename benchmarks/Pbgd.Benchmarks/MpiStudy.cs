using System.Globalization;
using static System.FormattableString;

namespace Pbgd.Benchmarks;

/// <summary>
/// The data-parallel run's costs (issue 18), written to results/mpi.md: the overhead of 2 MPI ranks against one process
/// with the same total threads; MPI calls and bytes per iteration, counted by the binding; a model of clusters — measured
/// per-row and per-iteration compute, the counted messages priced by latency and bandwidth — projecting time per iteration
/// and parallel efficiency for N = 10⁷ and 10⁸ at 8, 64 and 512 ranks on 10 and 100 Gb/s networks; and peak memory per rank
/// at N = 10⁶ for 1 and 2 ranks, in double and in the float-only storage. Needs mpirun (Open MPI).
/// </summary>
public static class MpiStudy
{
    internal static bool HaveMpirun => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "mpirun")));

    private const int M = 784, C = 10, NVal = 5_000;

    public static int Run(string resultsDirectory, string[] args)
    {
        if (!HaveMpirun)
        {
            Console.Error.WriteLine("mpirun not found: install Open MPI with 'bash native/install-deps.sh'.");
            return 2;
        }
        bool quick = args.Contains("--quick");
        int memoryN = Array.IndexOf(args, "--memory-n") is var mn and >= 0 ? int.Parse(args[mn + 1], CultureInfo.InvariantCulture)
            : quick ? 100_000 : 1_000_000;
        // --from FILE: render results/mpi.md again from the raw measurements of an earlier run (results/mpi.json).
        if (Array.IndexOf(args, "--from") is var from and >= 0)
        {
            var saved = System.Text.Json.JsonSerializer.Deserialize<Measurements>(File.ReadAllText(args[from + 1]))!;
            Render(resultsDirectory, saved);
            return 0;
        }
        string scratch = Directory.CreateTempSubdirectory("pbgd-mpi-").FullName;
        string loadAtStart = LoadAverage();
        string Common(int n, string solver, int warmup, int iterations) => $"--n {n} --val {NVal} --m {M} --c {C} --solver {solver} --warmup {warmup} --iterations {iterations}";
        MpiWorker.Report Measure(int ranks, string arguments)
        {
            var r = MpiWorker.Launch(ranks, arguments, scratch);
            Console.WriteLine(Invariant($"{ranks} rank(s) {arguments}: {r.IterationMs.Average():F1} ms/iteration, peak {r.PeakResidentMb:F0} MB"));
            return r;
        }

        // 1. Overhead at K = 2 against one process with the same 2 threads (conjugate gradients, N = 60 000), in interleaved
        // rounds so that a change in the machine's other load falls on both sides alike.
        MpiWorker.Report alone2 = null!, pair = null!, aloneFloat = null!, pairFloat = null!;
        for (int round = 0; round < Rounds; round++)
        {
            alone2 = Pool(alone2, Measure(1, Common(60_000, "cg", 2, 12) + " --threads 2"));
            pair = Pool(pair, Measure(2, Common(60_000, "cg", 2, 12) + " --threads 1"));
            aloneFloat = Pool(aloneFloat, Measure(1, Common(60_000, "cg", 2, 12) + " --threads 2 --storage single-only"));
            pairFloat = Pool(pairFloat, Measure(2, Common(60_000, "cg", 2, 12) + " --threads 1 --storage single-only"));
        }
        // 2. Traffic: cg on 2 and 3 ranks, the normal equations on 2.
        var triple = Measure(3, Common(60_000, "cg", 2, 6) + " --threads 1");
        var normalPair = Measure(2, Common(60_000, "normal", 1, 3) + " --threads 1");
        // 3. The compute model per core: one process, one thread, two sizes six times apart.
        var small = Measure(1, Common(10_000, "cg", 2, 12) + " --threads 1");
        var large = Measure(1, Common(60_000, "cg", 2, 12) + " --threads 1");
        // 4. Memory per rank at N = 10⁶ (--memory-n N: another size, stated in the table).
        var memory = new List<(string Label, MpiWorker.Report Report)>();
        foreach (var (ranks, storage) in new[] { (1, "double"), (2, "double"), (1, "single-only"), (2, "single-only") })
            memory.Add(($"{ranks} rank{(ranks > 1 ? "s" : "")}, {storage}", Measure(ranks, Common(memoryN, "cg", 1, 2) + $" --threads {(ranks == 1 ? 2 : 1)} --storage {storage}")));

        var measurements = new Measurements(alone2, pair, aloneFloat, pairFloat, triple, normalPair, small, large,
            memory.Select(e => e.Report).ToArray(), memory.Select(e => e.Label).ToArray(), memoryN, loadAtStart, LoadAverage(),
            MpiVersion(), CpuModel(), Environment.ProcessorCount);
        File.WriteAllText(Path.Combine(resultsDirectory, "mpi.json"),
            System.Text.Json.JsonSerializer.Serialize(measurements, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        Render(resultsDirectory, measurements);
        Directory.Delete(scratch, recursive: true);
        return 0;
    }

    private const int Rounds = 3;

    // One report with the iteration times of every round (the counts are the same in each: the runs are deterministic).
    private static MpiWorker.Report Pool(MpiWorker.Report? pooled, MpiWorker.Report next) =>
        pooled is null ? next : pooled with { IterationMs = [.. pooled.IterationMs, .. next.IterationMs] };

    /// <summary>The raw measurements (results/mpi.json), from which the tables are rendered.</summary>
    public sealed record Measurements(MpiWorker.Report Alone2, MpiWorker.Report Pair, MpiWorker.Report AloneFloat, MpiWorker.Report PairFloat,
        MpiWorker.Report Triple, MpiWorker.Report NormalPair, MpiWorker.Report Small, MpiWorker.Report Large, MpiWorker.Report[] Memory,
        string[] MemoryLabels, int MemoryN, string LoadAtStart, string LoadAtEnd, string? MpiLibrary, string? Cpu, int Cores);

    // Per-iteration compute of one process against N, from two measured sizes: a per row, b per iteration.
    private sealed record ComputeModel(string Source, double PerRowMs, double SerialMs);

    private static void Render(string resultsDirectory, Measurements r0)
    {
        var (alone2, pair, aloneFloat, pairFloat, triple, normalPair, small, large) = (r0.Alone2, r0.Pair, r0.AloneFloat, r0.PairFloat, r0.Triple, r0.NormalPair, r0.Small, r0.Large);
        var memory = r0.MemoryLabels.Zip(r0.Memory).ToList();
        int memoryN = r0.MemoryN;
        string loadAtStart = r0.LoadAtStart;
        var lines = new List<string>();
        void Add(FormattableString line) => lines.Add(line.ToString(CultureInfo.InvariantCulture));
        Add($"# Data-parallel PBGD over MPI: overhead, traffic, a cluster model and memory per rank");
        Add($"");
        Add($"`dotnet run -c Release --project benchmarks/Pbgd.Benchmarks -- --bench mpi` (also `dotnet cake --target=Bench --bench=mpi`);");
        Add($"every figure below is measured by that run, each configuration in its own process(es) under");
        Add($"`mpirun --allow-run-as-root --oversubscribe -np K`. PBGD-B, squared loss, synthetic Gaussian data with m = {M}, c = {C},");
        Add($"N' = {NVal}. {r0.MpiLibrary ?? "Open MPI"} over shared memory on one machine: {r0.Cores} cores ({r0.Cpu ?? "CPU unknown"}), shared with other");
        Add($"work (load averages at the end), so times scatter: each table gives the spread. Times are means over the measured");
        Add($"iterations after the warm-up ones (a preconditioner refresh every 12 solves falls inside). Iterates are the same for");
        Add($"every K (tested), so these are costs of the same run.");
        Add($"");
        Add($"## Overhead of 2 ranks against one process with the same 2 threads (N = 60 000, `--exact-solver cg`)");
        Add($"");
        Add($"{alone2.IterationMs.Length} iterations each ({alone2.IterationMs.Length / 12} interleaved rounds of 12 after 2 warm-up iterations); in brackets the fastest and slowest");
        Add($"iteration. Times are rank 0's; the ranks wait for each other at every reduction, so that is the iteration's time.");
        Add($"");
        Add($"| storage | 1 process × 2 threads: ms / iteration | 2 ranks × 1 thread: ms / iteration | overhead |");
        Add($"|---|---|---|---|");
        foreach (var (label, one, two) in new[] { ("double", alone2, pair), ("float-only", aloneFloat, pairFloat) })
            Add($"| {label} | {one.IterationMs.Average():F1} ({one.IterationMs.Min():F0}–{one.IterationMs.Max():F0}) | {two.IterationMs.Average():F1} ({two.IterationMs.Min():F0}–{two.IterationMs.Max():F0}) | {100 * (two.IterationMs.Average() / one.IterationMs.Average() - 1):+0;-0} % |");
        Add($"");
        Add($"## MPI calls and bytes per iteration (counted by the binding, rank 0)");
        Add($"");
        Add($"Per iteration of PBGD-B: the v-step's and the oracle's exact solves, f, g at v and ω, the gradient mapping's norm.");
        Add($"Sent bytes are rank 0's own: in the point-to-point tree rank 0 only receives, so its sends are the broadcasts.");
        Add($"");
        Add($"| run | allreduce | allgather | broadcast | point-to-point | barrier | bytes sent (rank 0) | bytes received (rank 0) |");
        Add($"|---|---|---|---|---|---|---|---|");
        foreach (var (label, r) in new[] { ("cg, 2 ranks", pair), ("cg, 3 ranks", triple), ("normal equations, 2 ranks", normalPair) })
            Add($"| {label} | {r.CallsPerIteration["Allreduce"]:F1} | {r.CallsPerIteration["Allgather"]:F1} | {r.CallsPerIteration["Broadcast"]:F1} | {r.CallsPerIteration["PointToPoint"]:F1} | {r.CallsPerIteration["Barrier"]:F1} | {Bytes(r.BytesSentPerIteration.Values.Sum())} | {(r.BytesReceivedPerIteration is { } rec ? Bytes(rec.Values.Sum()) : "—")} |");
        double reductions = pair.CallsPerIteration["Broadcast"];
        double vectorBytes = reductions > 0 ? pair.BytesSentPerIteration["Broadcast"] / reductions : 0;
        double smallCollectives = pair.CallsPerIteration["Allreduce"] + pair.CallsPerIteration["Allgather"];
        Add($"");
        Add($"With cg each iteration makes {reductions:F1} long reductions (each: subtrees up the tree point to point, the sum");
        Add($"broadcast; mean {Bytes(vectorBytes)}, the m×2c = {M * 2 * C} doubles of an A·P product or a true residual, or a Gram");
        Add($"matrix at a preconditioner refresh) and {smallCollectives:F1} short collectives (scalars: f, g, norms, decisions). None of");
        Add($"them grows with N: only with m, c and the number of ranks.");
        Add($"");

        // The cluster model: compute a·N/K + b per iteration, from this run's one-thread measurements, two ways.
        double n1 = small.N, n2 = large.N, t1 = small.IterationMs.Average(), t2 = large.IterationMs.Average();
        double fitPerRow = (t2 - t1) / (n2 - n1);         // ms per training row per iteration, one core
        double fitSerial = t1 - fitPerRow * n1;           // ms per iteration independent of N (validation set, m×c vector work)
        double passMsPerRow = large.LocalPassMs / large.LocalRows;
        double passPerRow = large.PassesPerIteration * passMsPerRow;
        double passSerial = t2 - passPerRow * n2;
        var models = new List<ComputeModel>();
        if (fitPerRow > 0 && fitSerial >= 0)
            models.Add(new ComputeModel(Invariant($"the fit through this run's two sizes (1 process, 1 thread, `cg`: {t1:F1} ms at N = {n1:N0}, {t2:F1} ms at N = {n2:N0}; means of 12 iterations)"),
                fitPerRow, fitSerial));
        if (passSerial >= 0)
            models.Add(new ComputeModel(Invariant($"this run's counted passes ({large.PassesPerIteration:F1} per iteration at N = {n2:N0}) × its fused pass ({passMsPerRow * 1e3:F3} µs per row, 1 thread, median of 5), b the rest of the measured {t2:F1} ms"),
                passPerRow, passSerial));
        Add($"## A model of clusters");
        Add($"");
        Add($"Compute per iteration is a·N/K + b: a per training row (the passes over X_trn, {large.PassesPerIteration:F1} per iteration with cg,");
        Add($"counted, and the preconditioner's Gram every 12 solves) and b independent of N (the validation set's passes, the m×c");
        Add($"conjugate-gradient vectors, the preconditioner's factorisations). a and b come from this run, two ways: a straight line");
        Add($"through the iteration times at two sizes, and the counted passes priced at the measured time of one pass (the rest of");
        Add($"the iteration taken as b; this puts the Gram refresh in b, so it is the lower estimate of a). The fit gives a =");
        Add($"{fitPerRow * 1e3:F3} µs, b = {fitSerial:F1} ms; the passes a = {passPerRow * 1e3:F3} µs, b = {passSerial:F1} ms{(models.Count < 2 ? " (a negative part: that model is left out)" : "")}.");
        Add($"");
        Add($"Time per iteration on K ranks (one core each), N rows:");
        Add($"");
        Add($"```");
        Add($"T(K) = a·N/K + b + R·2⌈log₂K⌉·(α + s/β) + S·2⌈log₂K⌉·α");
        Add($"R = {reductions:F1} long reductions per iteration of s = {Bytes(vectorBytes)} (counted above), S = {smallCollectives:F1} short ones");
        Add($"E(K) = T(1)/(K·T(K)),   T(1) = a·N + b");
        Add($"```");
        Add($"");
        Add($"Each long reduction goes ⌈log₂K⌉ hops up the tree and is broadcast down ⌈log₂K⌉ hops (a binomial tree; Open MPI's");
        Add($"pipelined broadcast of large messages is faster, so this errs high); a short one costs two latencies per level. Networks:");
        Add($"10 Gb/s Ethernet, β = 1.25 GB/s, α = 20 µs (TCP); 100 Gb/s (InfiniBand/RoCE), β = 12.5 GB/s, α = 2 µs. Assumed: each rank");
        Add($"on its own core with this machine's per-core speed and memory bandwidth, no other contention; the data fit (N = 10⁸");
        Add($"at m = {M} is {8e8 * M / 1e9:F0} GB in double, {4e8 * M / 1e9:F0} GB float-only: {8e8 * M / 512 / 1e9:F1} / {4e8 * M / 512 / 1e9:F1} GB per rank at 512 ranks); parts ≥ ranks (N/16 384 ≥ K).");
        Add($"");
        double worstTreeShare = 0; // the largest share of T(K) the tree costs over one MPI_Allreduce per reduction
        foreach (var model in models)
        {
            Add($"With a = {model.PerRowMs * 1e3:F3} µs per row and b = {model.SerialMs:F1} ms from {model.Source}:");
            Add($"");
            Add($"| N | network | K | compute ms (a·N/K + b) | communication ms | T(K) ms | speed-up T(1)/T(K) | efficiency | same with MPI_Allreduce: communication ms |");
            Add($"|---|---|---|---|---|---|---|---|---|");
            foreach (double n in new[] { 1e7, 1e8 })
                foreach (var (network, alpha, beta) in new[] { ("10 Gb/s", 20e-3, 1.25e6), ("100 Gb/s", 2e-3, 12.5e6) }) // ms, bytes per ms
                    foreach (int k in new[] { 8, 64, 512 })
                    {
                        int levels = (int)Math.Ceiling(Math.Log2(k));
                        double compute = model.PerRowMs * n / k + model.SerialMs;
                        double communication = reductions * 2 * levels * (alpha + vectorBytes / beta) + smallCollectives * 2 * levels * alpha;
                        // A bandwidth-optimal allreduce (Rabenseifner): 2 log₂K latencies, 2 s(K − 1)/K bytes.
                        double allreduce = reductions * (2 * levels * alpha + 2.0 * (k - 1) / k * vectorBytes / beta) + smallCollectives * 2 * levels * alpha;
                        double total = compute + communication, single = model.PerRowMs * n + model.SerialMs;
                        worstTreeShare = Math.Max(worstTreeShare, (communication - allreduce) / total);
                        Add($"| {n:0e0} | {network} | {k} | {compute:F1} | {communication:F2} | {total:F1} | {single / total:F0} | {100 * single / (k * total):F0} % | {allreduce:F2} |");
                    }
            Add($"");
            Add($"The part b does not shrink with K and bounds the speed-up at {(model.PerRowMs * 1e7 + model.SerialMs) / model.SerialMs:F0}× for N = 10⁷ and {(model.PerRowMs * 1e8 + model.SerialMs) / model.SerialMs:F0}× for N = 10⁸.");
            Add($"");
        }
        Add($"The last column prices the same messages as one MPI_Allreduce each (bandwidth-optimal, but its sums depend on K):");
        Add($"the rank-independent tree costs about ⌈log₂K⌉ times its bandwidth term. The difference is at most {100 * worstTreeShare:F1} % of T(K) in the");
        Add($"cases above{(worstTreeShare <= 0.10 ? ", within the issue's 10 %, so the bitwise reduction is kept everywhere" : ": above the issue's 10 % there")}.");
        Add($"");
        Add($"## Peak memory per rank at N = {memoryN:N0}");
        Add($"");
        Add($"VmHWM during the iterations (reset after setup), the largest over ranks; X_trn is {8.0 * memoryN * M / 1e9:F1} GB in double.");
        Add($"");
        Add($"| run | X_trn per rank (MB) | resident after setup (MB) | peak during the iterations (MB) | ms / iteration |");
        Add($"|---|---|---|---|---|");
        foreach (var (label, r) in memory)
            Add($"| {label} | {r.DataMbPerRank:F0} | {r.ResidentAfterSetupMb:F0} | {r.PeakResidentMb:F0} | {r.IterationMs.Average():F0} |");
        Add($"");
        Add($"Loading the float-only data briefly holds the double rows too (they are read in double, then rounded and released);");
        Add($"the figures above are after that.");
        lines.Add("");
        lines.Add($"Load average of the machine (/proc/loadavg, 2 cores) when the study started: {loadAtStart}; when it ended: {r0.LoadAtEnd}.");
        File.WriteAllLines(Path.Combine(resultsDirectory, "mpi.md"), lines);
    }

    private static string? MpiVersion()
    {
        try
        {
            var info = new System.Diagnostics.ProcessStartInfo("mpirun", "--version") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = System.Diagnostics.Process.Start(info)!;
            string first = process.StandardOutput.ReadLine() ?? "";
            process.WaitForExit();
            return first.Replace("mpirun (", "").Replace(")", "").Trim() is { Length: > 0 } v ? v : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }

    private static string? CpuModel() => File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        : null;

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Bytes(double b) => b >= 1e6 ? Invariant($"{b / 1e6:F2} MB") : b >= 1e3 ? Invariant($"{b / 1e3:F1} kB") : Invariant($"{b:F0} B");
}
