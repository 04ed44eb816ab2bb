using BenchmarkDotNet.Attributes;
using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Benchmarks;

/// Time of one PBGD-J iteration of representation learning with the exact oracle, at sizes that keep it
/// overparameterised and measurable (N' = m/2 ≤ m, N = 3m/4 ≤ m < N + N', h = m, n = 10).
[Config(typeof(BenchmarkConfig))]
public class RepresentationLearningIterationBenchmarks
{
    private PbgdJacobi _solver = null!;
    private PbgdState _state = null!;

    [Params(256, 1024, 2048)]
    public int M { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        MklLibrary.SetThreads(Threads);
        (_solver, _state) = Workloads.RepresentationLearning(3 * M / 4, M / 2, M, 10);
    }

    [Benchmark]
    public double Iteration() => _solver.Step(_state).Penalized;
}
