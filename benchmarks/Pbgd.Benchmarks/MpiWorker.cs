using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pbgd.Distributed;
using Pbgd.Kernels;
using Pbgd.Linalg;
using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Benchmarks;

/// <summary>
/// One measured PBGD-B hyper-cleaning run on synthetic Gaussian data (m features, c classes, the scaling study's
/// generator), in this process or — with --mpi under mpirun — on this rank's share of the rows: time per iteration,
/// passes over X_trn, MPI calls and bytes per iteration (counted by the binding), the time of one fused pass over the local
/// rows (compute only), and resident memory. Rank 0 writes the JSON the scaling and MPI studies read. Each run is its own
/// process, so its memory figures are its own.
/// <code>--bench worker --n N --val N' --m M --c C --solver auto|cg|normal|qr --storage double|single-only --threads T
///   --warmup W --iterations I --out FILE [--mpi]</code>
/// </summary>
public static class MpiWorker
{
    /// <summary>What a worker reports.</summary>
    public sealed record Report(int Ranks, int Threads, int N, int M, int C, string Solver, string Storage, double[] IterationMs,
        double MsPerIteration, double PassesPerIteration, double LocalPassMs, int LocalRows, Dictionary<string, double> CallsPerIteration,
        Dictionary<string, double> BytesSentPerIteration, double PeakResidentMb, double ResidentAfterSetupMb, double DataMbPerRank,
        double SetupSeconds, Dictionary<string, long> Solves, Dictionary<string, double>? BytesReceivedPerIteration = null);

    public static int Run(string[] args)
    {
        string Value(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        int Int(string name, int fallback) => int.Parse(Value(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        int n = Int("--n", 60_000), nVal = Int("--val", 5_000), m = Int("--m", 784), c = Int("--c", 10), threads = Int("--threads", 1);
        int warmup = Int("--warmup", 2), iterations = Int("--iterations", 3);
        string solver = Value("--solver", "auto"), storage = Value("--storage", "double"), output = Value("--out", "worker.json");
        bool mpi = args.Contains("--mpi");
        var setup = Stopwatch.StartNew();

        ICommunicator comm = SingleProcess.Instance;
        if (mpi)
        {
            Mpi.Init();
            comm = new MpiCommunicator();
        }
        ComputeThreads.Set(threads);
        var shard = RowShard.ForRank(n, comm);
        var data = HyperCleaningGenerator.RealisticRows(n, nVal, m, c, 0.5, seed: 1, separation: 1.5, shard.Partition.FirstRow, shard.Rows);
        var options = new HyperCleaningSquaredOptions
        {
            ExactSolver = solver, Precision = storage == "single-only" ? DataPrecision.SingleOnly : DataPrecision.Double,
        };
        HyperCleaningSquaredProblem problem;
        double dataMb;
        if (storage == "single-only")
        {
            var single = SingleRows.From(data.XTrain);
            dataMb = single.Bytes / 1e6;
            problem = new HyperCleaningSquaredProblem(single, data.YTrain, data.XValidation, data.YValidation, options, shard);
        }
        else
        {
            dataMb = 8.0 * data.XTrain.Rows * data.XTrain.Columns / 1e6;
            problem = new HyperCleaningSquaredProblem(data.XTrain, data.YTrain, data.XValidation, data.YValidation, options, shard);
        }
        var xLocal = storage == "single-only" ? null : data.XTrain; // kept for the pass timing below
        data = null; // float-only: the double rows can go
        // Aggressive: the freed double rows are returned to the operating system, so resident memory shows the storage kept.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var pbgd = new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), new PbgdOptions { MaxIterations = int.MaxValue });
        var state = pbgd.Init(new double[problem.UpperDimension], new double[problem.LowerDimension]);
        for (int k = 0; k < warmup; k++) pbgd.Step(state);
        double setupSeconds = setup.Elapsed.TotalSeconds;
        double afterSetup = Resident("VmRSS:");
        ResetPeak();

        var before = Mpi.IsInitialized ? Mpi.Traffic.Snapshot() : (new long[6], new long[6], new long[6]);
        long passesBefore = TrainRows.Passes;
        var times = new double[iterations];
        for (int k = 0; k < iterations; k++)
        {
            long t0 = Stopwatch.GetTimestamp();
            pbgd.Step(state);
            times[k] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        double passes = (TrainRows.Passes - passesBefore) / (double)iterations;
        var after = Mpi.IsInitialized ? Mpi.Traffic.Snapshot() : (new long[6], new long[6], new long[6]);
        var calls = new Dictionary<string, double>();
        var bytes = new Dictionary<string, double>();
        var received = new Dictionary<string, double>();
        foreach (var op in Enum.GetValues<MpiTraffic.Operation>())
        {
            calls[op.ToString()] = (after.Item1[(int)op] - before.Item1[(int)op]) / (double)iterations;
            bytes[op.ToString()] = (after.Item2[(int)op] - before.Item2[(int)op]) / (double)iterations;
            received[op.ToString()] = (after.Item3[(int)op] - before.Item3[(int)op]) / (double)iterations;
        }
        double peak = Resident("VmHWM:");

        // One fused pass (2c columns, as conjugate gradients' A·P) over this rank's rows, compute only (no reduction).
        double passMs = LocalPassMs(problem, xLocal, shard.Rows, m, 2 * c);

        // Figures over ranks: the slowest rank's time, the largest memory.
        Span<double> worst = stackalloc double[] { times.Order().ElementAt(iterations / 2), peak, afterSetup, passMs, dataMb };
        comm.Allreduce(worst, ReductionOperation.Max);
        if (comm.Rank == 0)
        {
            var report = new Report(comm.Size, threads, n, m, c, solver, storage, times, worst[0], passes, worst[3], shard.Rows, calls, bytes,
                worst[1], worst[2], worst[4], setupSeconds, problem.SolveCounts.ToDictionary(e => e.Key, e => e.Value), received);
            File.WriteAllText(output, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        }
        if (mpi)
        {
            Mpi.Barrier();
            Mpi.Shutdown();
        }
        return 0;
    }

    private static double LocalPassMs(HyperCleaningSquaredProblem problem, Matrix? x, int rows, int m, int k)
    {
        var bT = new double[k * m];
        for (int j = 0; j < bT.Length; j++) bT[j] = 1e-3 * (j % 17);
        var z = new double[rows * k];
        var gT = new double[k * m];
        var partials = new double[FusedRowPass.PartialsLength(rows, m, k)];
        var local = RowShard.Local(rows);
        var single = problem.ExactSolver.Data.Rows.Single;
        var samples = new double[5];
        for (int t = 0; t < samples.Length; t++)
        {
            long t0 = Stopwatch.GetTimestamp();
            if (x is not null) FusedRowPass.Run(x.Span, rows, m, bT, k, z, null, z, k, gT, partials);
            else FusedRowPass.RunWidened(local, single!.Span, m, bT, k, z, null, z, k, gT, new double[FusedRowPass.PartialsLength(local, m, k)]);
            samples[t] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        Array.Sort(samples);
        return samples[2];
    }

    // Resident memory in MB from /proc/self/status (VmRSS now, VmHWM the peak since start or the last reset).
    internal static double Resident(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return double.NaN;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    // Linux resets VmHWM to the current resident size when 5 is written to clear_refs.
    private static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Runs a worker in a child process (under mpirun when ranks &gt; 1) and reads its report.</summary>
    internal static Report Launch(int ranks, string arguments, string directory)
    {
        string output = Path.Combine(directory, $"worker-{Guid.NewGuid():N}.json");
        string self = typeof(MpiWorker).Assembly.Location;
        var info = ranks > 1
            ? new ProcessStartInfo("mpirun", $"--allow-run-as-root --oversubscribe -np {ranks} dotnet \"{self}\" --bench worker {arguments} --mpi --out \"{output}\"")
            : new ProcessStartInfo("dotnet", $"\"{self}\" --bench worker {arguments} --out \"{output}\"");
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment["KMP_BLOCKTIME"] = "0";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0 || !File.Exists(output))
            throw new InvalidOperationException($"worker ({ranks} ranks, {arguments}) failed with {process.ExitCode}: {stderr.Result}{stdout.Result}");
        var report = JsonSerializer.Deserialize<Report>(File.ReadAllText(output))!;
        File.Delete(output);
        return report;
    }
}
