using Pbgd.Data;
using Pbgd.Linalg;

namespace Pbgd.Tests.Data;

public class ScalingTests
{
    private static Matrix Random(int n, int m, int seed)
    {
        var r = new SplitMix64((ulong)seed);
        var x = new Matrix(n, m);
        for (int i = 0; i < x.Span.Length; i++) x.Span[i] = 1000 * r.NextDouble() - 300;
        return x;
    }

    [Fact]
    public void StandardisedTrainingColumnsHaveMeanZeroAndUnitDeviation()
    {
        var train = Random(2000, 6, 1);
        for (int i = 0; i < train.Rows; i++)
        {
            train[i, 3] = 0;     // MNIST's blank pixels
            train[i, 4] = 0.1;   // constant, but its computed mean is not exactly 0.1
            train[i, 5] = 1000 + i % 7; // offset large against the spread
        }
        var scaler = FeatureScaler.Standardize(train);
        scaler.Apply(train);
        for (int j = 0; j < 6; j++)
        {
            double mean = Enumerable.Range(0, train.Rows).Average(i => train[i, j]);
            double sd = Math.Sqrt(Enumerable.Range(0, train.Rows).Average(i => Math.Pow(train[i, j] - mean, 2)));
            Assert.InRange(Math.Abs(mean), 0, 1e-12);
            if (j is 3 or 4)
                Assert.All(Enumerable.Range(0, train.Rows), i => Assert.Equal(0.0, train[i, j]));
            else
                Assert.InRange(Math.Abs(sd - 1), 0, 1e-12);
        }
    }

    [Fact]
    public void OtherSplitsUseTheTrainingStatistics()
    {
        var train = Random(100, 3, 2);
        var test = Random(10, 3, 3);
        var expected = test.Clone();
        var scaler = FeatureScaler.Standardize(train);
        for (int j = 0; j < 3; j++)
        {
            double mean = Enumerable.Range(0, 100).Average(i => train[i, j]);
            double sd = Math.Sqrt(Enumerable.Range(0, 100).Average(i => Math.Pow(train[i, j] - mean, 2)));
            for (int i = 0; i < 10; i++) expected[i, j] = (expected[i, j] - mean) / sd;
        }
        scaler.Apply(test);
        for (int k = 0; k < expected.Span.Length; k++) Assert.Equal(expected.Span[k], test.Span[k], 1e-12);
        // The state is two arrays: a restored scaler maps identically.
        var restored = new FeatureScaler([.. scaler.Offset], [.. scaler.Scale]);
        var again = Random(10, 3, 3);
        restored.Apply(again);
        Assert.Equal(test.Data, again.Data);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => scaler.Apply(new Matrix(2, 4))).ParamName);
    }

    [Fact]
    public void DivideBy255()
    {
        var x = new Matrix(1, 3, [0, 51, 255]);
        FeatureScaler.Divide(3).Apply(x);
        Assert.Equal([0, 0.2, 1], x.Data);
    }

    [Fact]
    public void BiasColumnAndOneHot()
    {
        var x = BiasColumn.Append(new Matrix(2, 2, [1, 2, 3, 4]));
        Assert.Equal([1.0, 2, 1, 3, 4, 1], x.Data);
        var y = DatasetPreparation.OneHot([2, 0], 3);
        Assert.Equal([0.0, 0, 1, 1, 0, 0], y.Data);
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetPreparation.OneHot([3], 3));
    }
}
