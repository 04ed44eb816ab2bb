using Pbgd.Distributed;
using Pbgd.Optimization;
using Pbgd.Tests.Distributed;

namespace Pbgd.Tests.Optimization;

/// A minimiser whose vector is spread over processes (the objective's Layout) takes every sum, norm, bound test
/// and decision globally, so its iterates do not depend on the number of processes: run over 2 and 3 in-process
/// ranks (ThreadWorld), each rank's share of the point, the value, the projected-gradient norm and the counts must
/// equal the one-process run's to the bit.
public class DistributedMinimizerTests
{
    private const int N = 768;   // 3 parts of 256 rows, so every rank of 2 or 3 holds some
    private const int Steps = 8;

    [Theory]
    [InlineData("L-BFGS", 2)]
    [InlineData("L-BFGS", 3)]
    [InlineData("SPG", 2)]
    [InlineData("SPG", 3)]
    public void DistributedRunRepeatsTheOneProcessRunBitForBit(string method, int ranks)
    {
        var weights = Enumerable.Range(0, N).Select(i => 1 + 99.0 * ((i * 37) % N) / N).ToArray();
        var center = Enumerable.Range(0, N).Select(i => Math.Sin(i)).ToArray();
        var start = Enumerable.Range(0, N).Select(i => 0.3 * Math.Cos(3 * i)).ToArray();
        var lower = Enumerable.Range(0, N).Select(i => i % 5 == 0 ? 0.1 : double.NegativeInfinity).ToArray();
        var upper = Enumerable.Range(0, N).Select(i => i % 7 == 0 ? 0.2 : double.PositiveInfinity).ToArray();

        var single = Run(method, RowShard.Local(N), weights, center, start, lower, upper);
        var shares = ThreadWorld.Run(ranks, comm => Run(method, RowShard.ForRank(N, comm), weights, center, start, lower, upper));

        Assert.True(single.Lower > 0, "no lower bound became active: the test would not cover the bound logic");
        Assert.Equal(N, shares.Sum(s => s.Point.Length));
        Assert.Equal(Bits(single.Point), Bits(shares.SelectMany(s => s.Point).ToArray()));
        foreach (var share in shares)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(single.Value), BitConverter.DoubleToInt64Bits(share.Value));
            Assert.Equal(BitConverter.DoubleToInt64Bits(single.Norm), BitConverter.DoubleToInt64Bits(share.Norm));
            Assert.Equal(single.Counts, share.Counts);
            Assert.Equal(single.Status, share.Status);
        }
    }

    private static (double[] Point, double Value, double Norm, MinimizerCounts Counts, StopReason Status, int Lower) Run(string method,
        RowShard shard, double[] weights, double[] center, double[] start, double[] lower, double[] upper)
    {
        int first = shard.Partition.FirstRow, rows = shard.Rows;
        var objective = new ShardedSquares(shard, weights[first..(first + rows)], center[first..(first + rows)]);
        var box = new Box(lower[first..(first + rows)], upper[first..(first + rows)]);
        var minimizer = Minimizers.Create(method, objective, box, new BoxMinimizerOptions { GradientTolerance = 0, Memory = 4 });
        minimizer.Init(start.AsSpan(first, rows));
        for (int k = 0; k < Steps; k++) minimizer.Step();
        int onLower = Enumerable.Range(0, rows).Count(i => minimizer.Point[i] == box.Lower[i]);
        return (minimizer.Point.ToArray(), minimizer.Value, minimizer.ProjectedGradientNorm, minimizer.Counts, minimizer.Status, onLower);
    }

    private static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    /// f = Σ ½wᵢ(xᵢ − cᵢ)² over all processes' rows, summed by the shard (same bits for any number of processes).
    private sealed class ShardedSquares(RowShard shard, double[] weights, double[] center) : IDifferentiableObjective
    {
        private readonly RowShard _shard = shard;
        private readonly double[] _weights = weights, _center = center, _terms = new double[center.Length];
        public int Dimension => _terms.Length;
        public VectorLayout? Layout { get; } = VectorLayout.Rows(shard);

        public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
        {
            for (int i = 0; i < x.Length; i++)
            {
                double r = x[i] - _center[i];
                _terms[i] = 0.5 * _weights[i] * r * r;
                gradient[i] = _weights[i] * r;
            }
            return _shard.Sum(_terms);
        }
    }
}
