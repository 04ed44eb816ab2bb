using System.Text.Json;
using Pbgd.Checkpoints;
using Pbgd.Optimization;

namespace Pbgd.Tests.Optimization;

/// A run interrupted after K steps, saved, restored into a fresh minimiser (through JSON, as a checkpoint file
/// would be) and continued must match an uninterrupted run to the bit: point, gradient, value and counts.
public class ResumeTests
{
    private const int N = 12;
    private const int Total = 60;

    public static TheoryData<string, int> Cases() => new()
    {
        { "L-BFGS", 1 }, { "L-BFGS", 17 }, { "L-BFGS", 45 }, { "SPG", 1 }, { "SPG", 17 }, { "SPG", 45 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RestoredRunRepeatsTheUninterruptedOneBitForBit(string method, int k)
    {
        var uninterrupted = Create(method);
        uninterrupted.Init(Rosenbrock.Start(N));
        for (int i = 0; i < Total; i++) uninterrupted.Step();
        Assert.Equal(StopReason.None, uninterrupted.Status);   // the comparison covers a live run, not a stopped one

        var first = Create(method);
        first.Init(Rosenbrock.Start(N));
        for (int i = 0; i < k; i++) first.Step();
        var saved = first.SaveState();
        var pointAtSave = saved.Point.ToArray();
        first.Step();
        Assert.Equal(pointAtSave, saved.Point);   // the saved state is a copy, not a view

        string json = JsonSerializer.Serialize(saved, saved.GetType(), Pbgd.Checkpoints.StateJson.Options);
        var restoredState = (MinimizerState)JsonSerializer.Deserialize(json, saved.GetType(), Pbgd.Checkpoints.StateJson.Options)!;
        var resumed = Create(method);
        resumed.Restore(restoredState);
        for (int i = k; i < Total; i++) resumed.Step();

        Assert.Equal(Bits(uninterrupted.Point), Bits(resumed.Point));
        Assert.Equal(Bits(uninterrupted.Gradient), Bits(resumed.Gradient));
        Assert.Equal(BitConverter.DoubleToInt64Bits(uninterrupted.Value), BitConverter.DoubleToInt64Bits(resumed.Value));
        Assert.Equal(uninterrupted.Counts, resumed.Counts);
        Assert.Equal(uninterrupted.Status, resumed.Status);
    }

    [Fact]
    public void RestoreRejectsAStateOfAnotherKindOrShape()
    {
        var lbfgs = Create("L-BFGS");
        lbfgs.Init(Rosenbrock.Start(N));
        var spg = Create("SPG");
        spg.Init(Rosenbrock.Start(N));
        Assert.Equal("state", Assert.Throws<ArgumentException>(() => lbfgs.Restore(spg.SaveState())).ParamName);
        var other = new ProjectedLbfgs(new Rosenbrock(N), Box.Uniform(N, -2, 0.9), new BoxMinimizerOptions { Memory = 3 });
        Assert.Equal("state", Assert.Throws<ArgumentException>(() => other.Restore(lbfgs.SaveState())).ParamName);
        var outside = ((ProjectedLbfgsState)lbfgs.SaveState()) with { Point = Enumerable.Repeat(5.0, N).ToArray() };
        Assert.Equal("state", Assert.Throws<ArgumentException>(() => lbfgs.Restore(outside)).ParamName);
    }

    // A box that is active along the way, so the restored run also crosses the projected-path code.
    private static BoxMinimizer Create(string method) =>
        Minimizers.Create(method, new Rosenbrock(N), Box.Uniform(N, -2, 0.9), new BoxMinimizerOptions { GradientTolerance = 0, MaxIterations = 10_000 });

    private static long[] Bits(ReadOnlySpan<double> values)
    {
        var bits = new long[values.Length];
        for (int i = 0; i < values.Length; i++) bits[i] = BitConverter.DoubleToInt64Bits(values[i]);
        return bits;
    }
}
