using Pbgd.Data;
using Pbgd.Linalg;
using Pbgd.Validation;

namespace Pbgd.Tests.Data;

public class SplitTests
{
    /// Row i has feature value i and label i mod classes, so every split row can be traced to its source.
    internal static LabeledData Tagged(int n, int classes = 10, string name = "mem")
    {
        var x = new Matrix(n, 2);
        for (int i = 0; i < n; i++) { x[i, 0] = i; x[i, 1] = -i; }
        return new LabeledData(x, Enumerable.Range(0, n).Select(i => i % classes).ToArray(), classes, name);
    }

    [Fact]
    public void ThreeWaySplitTakesConsecutivePiecesOfOnePermutation()
    {
        var source = Tagged(1000);
        var split = DatasetSplit.Create(source, 100, 200, 300, new SplitMix64(7));
        ulong state = 7;
        var order = ReferencePermutation.Permutation(ref state, 1000);
        Assert.Equal(order[..100], split.TrainIndices);
        Assert.Equal(order[100..300], split.ValidationIndices);
        Assert.Equal(order[300..600], split.TestIndices);
        foreach (var (part, indices) in new[] { (split.Train, split.TrainIndices), (split.Validation, split.ValidationIndices), (split.Test, split.TestIndices) })
            for (int k = 0; k < indices.Length; k++)
            {
                Assert.Equal(indices[k], part.Features[k, 0]);
                Assert.Equal(-indices[k], part.Features[k, 1]);
                Assert.Equal(indices[k] % 10, part.Labels[k]);
            }
        Assert.Equal(600, split.TrainIndices.Concat(split.ValidationIndices).Concat(split.TestIndices).Distinct().Count());
    }

    [Fact]
    public void SameSeedSameSplitOtherSeedOtherSplit()
    {
        var source = Tagged(500);
        var a = DatasetSplit.Create(source, 50, 50, 50, new SplitMix64(1));
        var b = DatasetSplit.Create(source, 50, 50, 50, new SplitMix64(1));
        var c = DatasetSplit.Create(source, 50, 50, 50, new SplitMix64(2));
        Assert.Equal(a.TrainIndices, b.TrainIndices);
        Assert.Equal(a.TestIndices, b.TestIndices);
        Assert.NotEqual(a.TrainIndices, c.TrainIndices);
    }

    [Fact]
    public void VpbgdSizesFromSixtyThousand()
    {
        var split = DatasetSplit.Create(Tagged(60_000), 5000, 5000, 10_000, new SplitMix64(0));
        Assert.Equal((5000, 5000, 10_000), (split.Train.Count, split.Validation.Count, split.Test.Count));
        Assert.Equal(20_000, split.TrainIndices.Concat(split.ValidationIndices).Concat(split.TestIndices).Distinct().Count());
    }

    [Fact]
    public void TestFromItsOwnFile()
    {
        var source = Tagged(100);
        var testFile = Tagged(30, name: "test");
        var split = DatasetSplit.Create(source, 40, 60, testFile, 25, new SplitMix64(3));
        Assert.Equal(Enumerable.Range(0, 25), split.TestIndices);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (double)i), Enumerable.Range(0, 25).Select(i => split.Test.Features[i, 0]));
        Assert.Equal(100, split.TrainIndices.Concat(split.ValidationIndices).Distinct().Count());
        Assert.Equal("test", Assert.Throws<InvalidValueException>(() => DatasetSplit.Create(source, 40, 60, testFile, 31, new SplitMix64(3))).ParamName);
        var narrow = new LabeledData(new Matrix(30, 3), new int[30], 10, "narrow");
        Assert.Equal("testFile", Assert.Throws<InvalidValueException>(() => DatasetSplit.Create(source, 40, 60, narrow, 5, new SplitMix64(3))).ParamName);
    }

    [Theory]
    [InlineData(0, 10, 10, "train")]
    [InlineData(10, 0, 10, "validation")]
    [InlineData(10, 10, 0, "test")]
    [InlineData(10, 10, -1, "test")]
    public void EmptySplitsNameTheParameter(int train, int validation, int test, string name)
    {
        var e = Assert.Throws<InvalidValueException>(() => DatasetSplit.Create(Tagged(100), train, validation, test, new SplitMix64(1)));
        Assert.Equal(name, e.ParamName);
        Assert.Equal($"{name} must be at least 1 (an empty split), not {Math.Min(train, Math.Min(validation, test))}.", e.Message);
    }

    [Theory]
    [InlineData(101, 1, 1, "train")]
    [InlineData(60, 41, 1, "validation")]
    [InlineData(60, 30, 11, "test")]
    [InlineData(int.MaxValue, int.MaxValue, int.MaxValue, "train")]
    public void SizesBeyondNNameTheParameter(int train, int validation, int test, string name)
    {
        var e = Assert.Throws<InvalidValueException>(() => DatasetSplit.Create(Tagged(100), train, validation, test, new SplitMix64(1)));
        Assert.Equal(name, e.ParamName);
        Assert.EndsWith("samples, but mem has 100.", e.Message);
    }

    [Fact]
    public void SubsetKeepsTrueLabels()
    {
        var data = Tagged(5) with { TrueLabels = [9, 8, 7, 6, 5] };
        var sub = data.Subset([4, 0]);
        Assert.Equal([5, 9], sub.TrueLabels!);
        Assert.Equal([4, 0], sub.Labels);
        Assert.Equal([false, false], sub.CleanMask!);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Subset([5]));
    }
}
