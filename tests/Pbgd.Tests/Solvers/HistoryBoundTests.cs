using Pbgd.LowerLevel;
using Pbgd.Problems.Toys;
using Pbgd.Schedules;
using Pbgd.Solvers;

namespace Pbgd.Tests.Solvers;

/// The history is bounded (SolverHistory): every record until the capacity, then the newest quarter whole and the older
/// records at a doubling stride — always the first and the last record — and a resume keeps exactly what the
/// uninterrupted run keeps.
public class HistoryBoundTests
{
    private static IterationRecord Record(int iteration) => new(iteration, iteration * 1e-3, 1, 0.1, iteration, 0, 0, 0, 0, 0, 0, 0, 0, -1);

    private static int[] Iterations(SolverHistory history) => history.Records.ToArray().Select(r => r.Iteration).ToArray();

    // What the rule keeps: the newest stretch record by record, before it every Stride-th iteration from 0.
    private static void AssertShape(SolverHistory history, int last, int logEvery)
    {
        var its = Iterations(history);
        Assert.True(its.Length <= history.Capacity, $"{its.Length} records for a capacity of {history.Capacity}");
        Assert.Equal(0, its[0]);
        Assert.Equal(last, its[^1]);
        Assert.True(its.Zip(its.Skip(1), (a, b) => b > a).All(x => x), "out of order");
        int tail = history.Capacity / 4;
        // The newest quarter of the capacity: consecutive logged iterations.
        var newest = its[^Math.Min(tail, its.Length)..];
        Assert.All(newest.Zip(newest.Skip(1), (a, b) => b - a), d => Assert.Equal(logEvery, d));
        // Before the first thinning stretch ends: every Stride-th iteration from 0, none missing.
        int stride = history.Stride;
        var strided = its.TakeWhile(i => i % stride == 0).ToArray();
        Assert.True(strided.Length >= 2);
        Assert.All(strided.Zip(strided.Skip(1), (a, b) => b - a), d => Assert.Equal(stride, d));
    }

    [Theory]
    [InlineData(16, 1, 1_000)]
    [InlineData(100, 1, 48_902)]
    [InlineData(1_000, 5, 200_000)]
    [InlineData(10_000, 1, 48_902)] // the default capacity and the README's long run
    public void AnyNumberOfRecordsStaysWithinTheCapacity(int capacity, int logEvery, int iterations)
    {
        var history = new SolverHistory(capacity, logEvery);
        for (int k = 0; k <= iterations; k += logEvery) history.Add(Record(k));
        Assert.True(history.Truncated);
        Assert.InRange(history.Count, capacity / 4, capacity);
        Assert.Equal(0, (history.Stride / logEvery) & (history.Stride / logEvery - 1)); // a power of two times LogEvery
        AssertShape(history, iterations - iterations % logEvery, logEvery);
    }

    [Fact]
    public void BelowTheCapacityEveryRecordIsKept()
    {
        var history = new SolverHistory(100, 3);
        for (int k = 0; k <= 297; k += 3) history.Add(Record(k));
        Assert.False(history.Truncated);
        Assert.Equal(3, history.Stride);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => 3 * i), Iterations(history));
    }

    [Theory]
    [InlineData(1_234)]
    [InlineData(5_000)]
    [InlineData(17)]
    public void ARestoredHistoryGoesOnAsTheOriginal(int split)
    {
        var original = new SolverHistory(64, 2);
        var restored = new SolverHistory(64, 2);
        for (int k = 0; k <= 2 * split; k += 2) original.Add(Record(k));
        restored.Restore(original.Records.ToArray());
        for (int k = 2 * split + 2; k <= 20_000; k += 2)
        {
            original.Add(Record(k));
            restored.Add(Record(k));
        }
        Assert.Equal(Iterations(original), Iterations(restored));
        Assert.Equal(original.Stride, restored.Stride);
    }

    [Fact]
    public void ALongRunKeepsABoundedHistoryWithItsFirstAndLastRecords()
    {
        var toy = new ConvexQuadraticToy(dimension: 4, seed: 2);
        var result = new PbgdJacobi(toy, new ExactLowerLevelOracle(toy), new PbgdOptions
        {
            Penalty = PenaltySchedule.Constant(10), MaxIterations = 30_001, HistoryCapacity = 400,
        }).Run(new double[toy.UpperDimension], new double[toy.LowerDimension]);
        Assert.Equal(30_001, result.Iterations);
        Assert.True(result.History.Truncated);
        AssertShape(result.History, 30_001, 1);
        Assert.Equal(result.Final, result.History.Last);
        // The default keeps a 48 902-iteration run (the README's longest) within 10 000 records.
        Assert.Equal(10_000, new PbgdOptions().HistoryCapacity);
    }

    [Fact]
    public void AResumedRunKeepsTheRecordsTheUninterruptedRunKeeps()
    {
        var toy = new ConvexQuadraticToy(dimension: 4, seed: 3);
        SolverCheckpoint? middle = null;
        PbgdOptions Options(Action<SolverCheckpoint>? sink) => new()
        {
            Penalty = PenaltySchedule.Constant(10), MaxIterations = 5_000, HistoryCapacity = 64, LogEvery = 2, CheckpointEvery = 1_000, Checkpoint = sink,
        };
        var full = new PbgdJacobi(toy, new ExactLowerLevelOracle(toy), Options(c => { if (c.Iteration == 3_000) middle = c; }))
            .Run(new double[toy.UpperDimension], new double[toy.LowerDimension]);
        Assert.NotNull(middle);
        Assert.True(middle.History.Length <= 64);
        var resumed = new PbgdJacobi(toy, new ExactLowerLevelOracle(toy), Options(null)).Resume(middle);
        Assert.Equal(Iterations(full.History), Iterations(resumed.History));
        Assert.Equal(full.U, resumed.U);
    }

    [Fact]
    public void TooSmallACapacityIsRefusedNamingTheOption()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new PbgdOptions { HistoryCapacity = 3 }.Validate());
        Assert.Equal(nameof(PbgdOptions.HistoryCapacity), e.ParamName);
    }
}
