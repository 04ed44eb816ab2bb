using System.Numerics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Benchmarks;

/// The fixed, quick suite behind BenchCompare: two solver iterations plus two machine probes (a compute-bound
/// dgemm and a bandwidth-bound read) measured in the same run, by which every time is normalised so that a
/// slower or busier machine does not read as a regression.
[Config(typeof(BenchmarkConfig))]
public class RegressionBenchmarks
{
    private PbgdBlockwise _hc = null!;
    private PbgdState _hcState = null!;
    private PbgdJacobi _rl = null!;
    private PbgdState _rlState = null!;
    private double[] _a = null!, _c = null!, _stream = null!;

    [GlobalSetup]
    public void Setup()
    {
        MklLibrary.SetThreads(1);
        (_hc, _hcState, _, _) = Workloads.HyperCleaning(2000, 500, 64, 10);
        (_rl, _rlState) = Workloads.RepresentationLearning(192, 128, 256, 10);
        _a = Enumerable.Range(0, 400 * 400).Select(i => (i % 13) * 0.1).ToArray();
        _c = new double[400 * 400];
        _stream = Enumerable.Range(0, 8 * 1024 * 1024).Select(i => (double)(i & 3)).ToArray();
    }

    [Benchmark]
    public double HyperCleaningIteration() => _hc.Step(_hcState).Penalized;

    [Benchmark]
    public double RepresentationLearningIteration() => _rl.Step(_rlState).Penalized;

    [Benchmark]
    public void ProbeDgemm() => Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, 400, 400, 400, 1.0, _a, 400, _a, 400, 0.0, _c, 400);

    [Benchmark]
    public double ProbeRead()
    {
        var acc = Vector<double>.Zero;
        foreach (var v in MemoryMarshal.Cast<double, Vector<double>>(_stream)) acc += v;
        return Vector.Sum(acc);
    }
}
