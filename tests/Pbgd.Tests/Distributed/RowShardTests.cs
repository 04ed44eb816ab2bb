using Pbgd.Distributed;

namespace Pbgd.Tests.Distributed;

/// <summary>
/// The fixed-part reduction that makes data-parallel runs independent of the process count: every split of the parts over
/// K processes (threads standing in for MPI ranks) gives the single process's sums to the bit, through both evaluation
/// paths (gathering the subtrees for short vectors, sending them up the tree for long ones), and the single process's sums
/// are the documented tree.
/// </summary>
public sealed class RowShardTests
{
    public static TheoryData<int> Rows => new() { 1, 255, 256, 700, 1001, 2047, 5000, 131072, 1_000_000 };

    [Theory]
    [MemberData(nameof(Rows))]
    public void EverySplitGivesTheSingleProcessSumToTheBit(int rows)
    {
        int parts = RowPartition.PartsFor(rows);
        foreach (int width in new[] { 1, 3, 3000 })
        {
            var partials = Partials(parts, width, seed: rows + width);
            var reference = Tree(partials, width, 0, parts);
            var single = new double[width];
            RowShard.Local(rows).SumParts(partials, width, single);
            Assert.Equal(Bits(reference), Bits(single));
            foreach (int k in Enumerable.Range(2, Math.Min(parts, 7) - 1).Append(Math.Min(parts, 13)).Distinct().Where(k => k >= 2))
            {
                var results = ThreadWorld.Run(k, comm =>
                {
                    var shard = RowShard.ForRank(rows, comm);
                    var mine = partials.AsSpan(shard.Partition.FirstPart * width, shard.LocalParts * width).ToArray();
                    var total = new double[width];
                    shard.SumParts(mine, width, total);
                    return total;
                });
                foreach (var total in results) Assert.True(Bits(reference).SequenceEqual(Bits(total)), $"N = {rows}, {parts} parts, K = {k}, width {width}");
            }
        }
    }

    [Fact]
    public void PartsAreAFunctionOfTheRowsAlone()
    {
        Assert.Equal(1, RowPartition.PartsFor(0));
        Assert.Equal(1, RowPartition.PartsFor(511));
        Assert.Equal(3, RowPartition.PartsFor(1001));
        Assert.Equal(8, RowPartition.PartsFor(5000));
        Assert.Equal(8, RowPartition.PartsFor(131071));
        Assert.Equal(61, RowPartition.PartsFor(1_000_000));
        Assert.Equal(610, RowPartition.PartsFor(10_000_000));
        for (int rows = 0; rows < 131072; rows += 97) Assert.Equal(Math.Clamp(rows / 256, 1, 8), RowPartition.PartsFor(rows));
    }

    [Fact]
    public void RanksHoldContiguousWholePartsCoveringEveryRowOnce()
    {
        foreach (int rows in new[] { 1001, 5000, 60000, 1_000_000 })
            for (int k = 1; k <= Math.Min(RowPartition.PartsFor(rows), 9); k++)
            {
                int next = 0;
                for (int r = 0; r < k; r++)
                {
                    var p = RowPartition.ForRank(rows, r, k);
                    Assert.Equal(next, p.FirstRow);
                    Assert.True(p.Rows > 0);
                    next += p.Rows;
                }
                Assert.Equal(rows, next);
            }
    }

    [Fact]
    public void MoreProcessesThanPartsAreRefusedSayingHowMany()
    {
        var e = Assert.Throws<ArgumentException>(() => RowPartition.ForRank(600, 0, 3));
        Assert.Contains("600 training rows", e.Message);
        Assert.Contains("at most 2 processes", e.Message);
    }

    [Fact]
    public void RowSumsDotProductsAndGathersAgreeAcrossSplits()
    {
        const int rows = 5000;
        var x = Partials(1, rows, seed: 3);
        var y = Partials(1, rows, seed: 4);
        double sum = RowShard.Local(rows).Sum(x), dot = VectorLayout.Rows(RowShard.Local(rows)).Dot(x, y);
        foreach (int k in new[] { 2, 3, 8 })
        {
            var results = ThreadWorld.Run(k, comm =>
            {
                var shard = RowShard.ForRank(rows, comm);
                var mx = x.AsSpan(shard.Partition.FirstRow, shard.Rows);
                var my = y.AsSpan(shard.Partition.FirstRow, shard.Rows);
                var gathered = new double[comm.Rank == 0 ? rows : 0];
                shard.GatherRows(mx, gathered);
                var everywhere = new double[rows];
                shard.AllgatherRows(mx, everywhere);
                return (Sum: shard.Sum(mx), Dot: VectorLayout.Rows(shard).Dot(mx, my), Gathered: gathered, All: everywhere,
                    Max: shard.Max(mx[0]), Any: shard.Any(comm.Rank == k - 1), All2: shard.All(comm.Rank != 1));
            });
            foreach (var r in results)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(sum), BitConverter.DoubleToInt64Bits(r.Sum));
                Assert.Equal(BitConverter.DoubleToInt64Bits(dot), BitConverter.DoubleToInt64Bits(r.Dot));
                Assert.Equal(x, r.All);
                Assert.True(r.Any);
                Assert.False(r.All2);
            }
            Assert.Equal(x, results[0].Gathered);
        }
    }

    [Fact]
    public void ComputedPartialsGiveTheStoredOnes()
    {
        const int rows = 1_000_000, width = 5000;
        int parts = RowPartition.PartsFor(rows);
        var partials = Partials(parts, width, seed: 9);
        var reference = Tree(partials, width, 0, parts);
        var results = ThreadWorld.Run(3, comm =>
        {
            var shard = RowShard.ForRank(rows, comm);
            var total = new double[width];
            shard.SumParts(new Source(partials, shard.Partition.FirstPart, width), width, total);
            return total;
        });
        foreach (var total in results) Assert.Equal(Bits(reference), Bits(total));
    }

    private readonly struct Source(double[] partials, int firstPart, int width) : IPartialSource
    {
        public void Partial(int localPart, scoped Span<double> destination) =>
            partials.AsSpan((firstPart + localPart) * width, width).CopyTo(destination);
    }

    // The documented tree: [lo, hi) = [lo, mid) + [mid, hi), mid = lo + ⌊(hi − lo)/2⌋.
    private static double[] Tree(double[] partials, int width, int lo, int hi)
    {
        if (hi - lo == 1) return partials.AsSpan(lo * width, width).ToArray();
        int mid = lo + (hi - lo) / 2;
        var left = Tree(partials, width, lo, mid);
        var right = Tree(partials, width, mid, hi);
        for (int j = 0; j < width; j++) left[j] += right[j];
        return left;
    }

    private static double[] Partials(int parts, int width, int seed)
    {
        var random = new Random(seed);
        // Mixed magnitudes, so a different order of additions would show in the last bits.
        return Enumerable.Range(0, parts * width).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 9))).ToArray();
    }

    private static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();
}
