using System.Diagnostics;
using Pbgd.Data;
using Xunit.Abstractions;

namespace Pbgd.Tests.Data;

/// The real files, when fetched: shapes, exact label histograms (published counts), and the V-PBGD preparation.
public sealed class RealDatasetTests(ITestOutputHelper output)
{
    // Per-class counts of MNIST's training file.
    private static readonly int[] MnistTrainHistogram = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];

    [RealDatasetFact("mnist")]
    public void MnistTrainingFile()
    {
        string folder = RealDatasetFactAttribute.Folder("mnist")!;
        var watch = Stopwatch.StartNew();
        var train = DatasetLocator.LoadTrain(folder);
        output.WriteLine($"loaded {folder} train in {watch.ElapsedMilliseconds} ms");
        Assert.Equal((60_000, 784, 10), (train.Count, train.Features.Columns, train.ClassCount));
        var histogram = new int[10];
        foreach (int label in train.Labels) histogram[label]++;
        Assert.Equal(60_000, histogram.Sum());
        Assert.Equal(MnistTrainHistogram, histogram);
        Assert.Equal(255, train.Features.Data.Max());
        Assert.Equal(0, train.Features.Data.Min());

        // V-PBGD: 5 000 / 5 000 / 10 000 from the training file, half the training labels redrawn.
        var random = new SplitMix64(0);
        var split = DatasetSplit.Create(train, 5000, 5000, 10_000, random);
        var corrupted = LabelCorruption.Corrupt(split.Train, 0.5, random);
        int wrong = corrupted.CleanMask!.Count(c => !c);
        Assert.InRange(wrong, 2250 - 100, 2250 + 100); // Binomial(2 500, 0.9): sd 15
    }

    [RealDatasetFact("mnist")]
    public void MnistTestFile()
    {
        var test = DatasetLocator.LoadTest(RealDatasetFactAttribute.Folder("mnist")!);
        Assert.Equal((10_000, 784), (test.Count, test.Features.Columns));
    }

    [RealDatasetFact("fashion-mnist")]
    public void FashionMnistGzipFiles()
    {
        string folder = RealDatasetFactAttribute.Folder("fashion-mnist")!;
        var test = DatasetLocator.LoadTest(folder);
        Assert.Equal((10_000, 784), (test.Count, test.Features.Columns));
        // Fashion-MNIST is balanced: 1 000 test and 6 000 training samples per class.
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, test.Labels.Count(l => l == c)));
        var labels = IdxReader.ReadLabels(DatasetLocator.Locate(folder, "train-labels-idx1-ubyte")!);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(6000, labels.Count(l => l == c)));
        var info = IdxReader.Verify(DatasetLocator.Locate(folder, "train-images-idx3-ubyte")!);
        Assert.Equal((3, 60_000, 28, 28), (info.Dimensions, info.Count, info.Rows, info.Columns));
    }
}
