using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Pbgd.Data;
using Pbgd.Experiments;

namespace Pbgd.Tests.Data;

/// Every data set spec of hyperclean and compare, on small files written here: the prepared split, corruption and
/// scaling are pinned to the bit by a SHA-256 of every prepared array (the values were taken from the string-prefix
/// switch these sources replaced), and the description by its text.
public sealed class DatasetSourceTests : IDisposable
{
    private readonly DataFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static readonly HyperCleaningConfig Small = HyperCleaningConfig.Default with
    {
        Train = 40, Validation = 12, Test = 15, Corruption = 0.3, Seed = 7, Scaling = FeatureScaling.Standardize,
    };

    private PreparedDataset Prepare(HyperCleaningConfig config, string? dataRoot = null, List<string>? log = null) =>
        HyperCleaningDatasets.Prepare(config, dataRoot ?? _files.Dir, line => log?.Add(line));

    // The four IDX files of a 10-class set: 80 training and 20 test images of 3×2 pixels.
    private string IdxFolder(string name)
    {
        string folder = Directory.CreateDirectory(_files.Path(name)).FullName;
        byte[] Labels(int n, int shift) => DataFiles.IdxLabels(Enumerable.Range(0, n).Select(i => (byte)((i * 3 + shift) % 10)).ToArray());
        File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte"), DataFiles.IdxImages(80, 3, 2));
        File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte"), Labels(80, 1));
        File.WriteAllBytes(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), DataFiles.Gzip(DataFiles.IdxImages(20, 3, 2)));
        File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte"), Labels(20, 4));
        return folder;
    }

    // LIBSVM text with labels −1/2/5 and indices up to maxIndex.
    private string Libsvm(string name, int rows, int maxIndex, int seed)
    {
        var r = new Random(seed);
        var lines = Enumerable.Range(0, rows).Select(i =>
            $"{new[] { -1, 2, 5 }[i % 3]} " + string.Join(' ', Enumerable.Range(1, maxIndex).Where(j => j == maxIndex || r.Next(3) > 0)
                .Select(j => $"{j}:{r.Next(-50, 50) / 8.0}")));
        return _files.Text(name, string.Join('\n', lines) + "\n");
    }

    // CSV with the label (1…4) in the middle column under a header, or in the last column without one.
    private string Csv(string name, int rows, int seed, bool header = true)
    {
        var r = new Random(seed);
        return _files.Text(name, (header ? "a,b,label,c\n" : "") + string.Concat(Enumerable.Range(0, rows).Select(i => header
            ? $"{r.Next(100) / 4.0},{r.Next(-9, 9)},{1 + i % 4},{r.NextDouble():R}\n"
            : $"{r.Next(100) / 4.0},{r.Next(-9, 9)},{r.NextDouble():R},{1 + i % 4}\n")));
    }

    private static string Fingerprint(PreparedDataset d)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add<T>(ReadOnlySpan<T> values) where T : struct => sha.AppendData(MemoryMarshal.AsBytes(values));
        foreach (var x in new[] { d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.XTest })
        {
            Add<int>([x.Rows, x.Columns]);
            Add<double>(x.Span);
        }
        Add<int>(d.TrainLabels);
        Add<int>(d.TestLabels);
        Add<int>([d.ClassCount]);
        Add<bool>(d.CleanMask ?? []);
        return Convert.ToHexString(sha.GetHashAndReset())[..16];
    }

    private string Describe(PreparedDataset d) => d.Description.Replace(_files.Dir, "DIR");

    [Fact]
    public void SyntheticAndTheMissingMnistFallback()
    {
        var synthetic = Prepare(Small with { Dataset = "synthetic" });
        Assert.Equal("067D55B1F43FFA5B", Fingerprint(synthetic));
        Assert.Equal("synthetic (seeded Gaussian clusters, m = 64, c = 10, seed 7)", synthetic.Description);
        var log = new List<string>();
        var fallback = Prepare(Small with { Dataset = "mnist" }, log: log);
        Assert.Equal(Fingerprint(synthetic), Fingerprint(fallback));
        Assert.Equal(synthetic.Description, fallback.Description);
        Assert.Equal([$"mnist not found in {Path.Combine(_files.Dir, "mnist")} (fetch it with 'pbgd data fetch mnist'): using the embedded synthetic data set instead."], log);
    }

    [Fact]
    public void IdxFoldersByNameAndByPath()
    {
        IdxFolder("fashion-mnist");
        var named = Prepare(Small with { Dataset = "fashion-mnist", Scaling = FeatureScaling.Divide255 });
        Assert.Equal("71866E656DD852B5", Fingerprint(named));
        Assert.Equal("fashion-mnist: 40/12/15 split (seed 7), 12 labels redrawn (9 actually wrong), scaling Divide255", Describe(named));

        string folder = IdxFolder("digits");
        var split = Prepare(Small with { Dataset = $"idx:{folder}" });
        Assert.Equal("EBE737745E15BC14", Fingerprint(split));
        Assert.Equal("DIR/digits: 40/12/15 split (seed 7), 12 labels redrawn (9 actually wrong), scaling Standardize", Describe(split));
        var official = Prepare(Small with { Dataset = $"idx:{folder}", OfficialTest = true, Loss = HyperCleaningLoss.CrossEntropy, Oracle = "iterative" });
        Assert.Equal("B468CA59C5D69331", Fingerprint(official));
        Assert.Equal("DIR/digits: 40/12/15 split (seed 7), 12 labels redrawn (9 actually wrong), scaling Standardize", Describe(official));
    }

    [Fact]
    public void LibsvmWithAndWithoutTestAndValidationFiles()
    {
        string train = Libsvm("train.svm", 90, 5, 1), wide = Libsvm("wide.svm", 30, 7, 2), narrow = Libsvm("narrow.svm", 30, 4, 3),
            val = Libsvm("val.svm", 20, 3, 4);
        var alone = Prepare(Small with { Dataset = $"libsvm:{train}" });
        Assert.Equal("3484A15CC6190752", Fingerprint(alone));
        Assert.Equal("DIR/train.svm: 40/12/15 split (seed 7), 12 labels redrawn (8 actually wrong), scaling Standardize", Describe(alone));
        var widened = Prepare(Small with { Dataset = $"libsvm:{train},{wide}", Scaling = FeatureScaling.None });
        Assert.Equal("1D55085573401C2E", Fingerprint(widened));
        Assert.Equal((40, 8), (widened.XTrain.Rows, widened.XTrain.Columns)); // widened to the test file's 7 features, plus the bias
        var files = Prepare(Small with { Dataset = $"libsvm:{train},{narrow}", ValidationFile = val, Scaling = FeatureScaling.None });
        Assert.Equal("01CAF8A304AF48D0", Fingerprint(files));
        Assert.Equal((12, 6), (files.XValidation.Rows, files.XValidation.Columns)); // the training file's 5 features, plus the bias
        Assert.Equal("DIR/train.svm: 40/12/15 split (seed 7), 12 labels redrawn (8 actually wrong), scaling None", Describe(files));
    }

    [Fact]
    public void CsvWithANamedOrTheLastLabelColumn()
    {
        string train = Csv("train.csv", 80, 4), val = Csv("val.csv", 20, 5);
        var named = Prepare(Small with { Dataset = $"csv:{train}", LabelColumn = "label", ValidationFile = val });
        Assert.Equal("8A894C4DB0DB8E27", Fingerprint(named));
        Assert.Equal("DIR/train.csv: 40/12/15 split (seed 7), 12 labels redrawn (11 actually wrong), scaling Standardize", Describe(named));
        var last = Prepare(Small with { Dataset = $"csv:{Csv("bare.csv", 70, 6, header: false)}", Loss = HyperCleaningLoss.CrossEntropy, Oracle = "iterative", Scaling = FeatureScaling.None });
        Assert.Equal("00F05EE2508CB414", Fingerprint(last));
        Assert.Equal("DIR/bare.csv: 40/12/15 split (seed 7), 12 labels redrawn (8 actually wrong), scaling None", Describe(last));
    }
}
