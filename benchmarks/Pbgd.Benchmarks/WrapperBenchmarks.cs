using BenchmarkDotNet.Attributes;
using Pbgd.Native;

namespace Pbgd.Benchmarks;

/// The MKL gemm wrapper against a plain managed triple loop (the baseline column) at a few shapes, including
/// the skinny N×m by m×c product the hyper-cleaning iteration lives on.
[Config(typeof(BenchmarkConfig))]
public class WrapperBenchmarks
{
    private double[] _a = null!, _b = null!, _c = null!;

    [Params("64x64x64", "256x256x256", "5000x10x785")]
    public string Shape { get; set; } = "";

    private int _m, _n, _k;

    [GlobalSetup]
    public void Setup()
    {
        var dims = Shape.Split('x').Select(int.Parse).ToArray();
        (_m, _n, _k) = (dims[0], dims[1], dims[2]);
        var r = new Random(1);
        _a = Enumerable.Range(0, _m * _k).Select(_ => r.NextDouble()).ToArray();
        _b = Enumerable.Range(0, _k * _n).Select(_ => r.NextDouble()).ToArray();
        _c = new double[_m * _n];
    }

    [Benchmark(Baseline = true)]
    public void ManagedLoop()
    {
        for (int i = 0; i < _m; i++)
            for (int j = 0; j < _n; j++)
            {
                double s = 0;
                for (int p = 0; p < _k; p++) s += _a[i * _k + p] * _b[p * _n + j];
                _c[i * _n + j] = s;
            }
    }

    [Benchmark]
    public void MklGemm() => Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _m, _n, _k, 1.0, _a, _k, _b, _n, 0.0, _c, _n);
}
