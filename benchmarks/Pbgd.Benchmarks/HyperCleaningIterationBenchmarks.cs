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
        var data = HyperCleaningGenerator.Realistic(N, Math.Max(1, N / 4), M, 10, 0.5, seed: 1);
        var problem = new HyperCleaningSquaredProblem(data.XTrain, data.YTrain, data.XValidation, data.YValidation,
            new HyperCleaningOptions { Ridge = 1e-6 });
        _solver = new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), new PbgdOptions { MaxIterations = int.MaxValue });
        _state = _solver.Init(new double[problem.UpperDimension], new double[problem.LowerDimension]);
        _solver.Step(_state);
    }

    [Benchmark]
    public double Iteration() => _solver.Step(_state).Penalized;
}
