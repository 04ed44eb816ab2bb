using BenchmarkDotNet.Attributes;
using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Benchmarks;

/// Time of one PBGD-B iteration of squared-loss hyper-cleaning with the exact oracle, over dataset size N
/// (N' = N/4), feature count m and MKL thread count. c = 10 classes. N = 10⁶ is left out: the QR oracle's
/// stacked copy of X alone would need 2× the 6.3 GB data set (see the issue notes).
[Config(typeof(BenchmarkConfig))]
public class HyperCleaningIterationBenchmarks
{
    private PbgdBlockwise _solver = null!;
    private PbgdState _state = null!;

    [Params(1_000, 10_000, 100_000)]
    public int N { get; set; }

    [Params(64, 784)]
    public int M { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        MklLibrary.SetThreads(Threads);
        // The ridge keeps the Gram positive definite for every N, so the normal-equations path is what is timed.
        (_solver, _state, _, _) = Workloads.HyperCleaning(N, Math.Max(1, N / 4), M, 10, new HyperCleaningSquaredOptions { Ridge = 1e-6 });
    }

    [Benchmark]
    public double Iteration() => _solver.Step(_state).Penalized;
}
