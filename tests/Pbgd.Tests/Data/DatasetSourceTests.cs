using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Pbgd.Data;
using Pbgd.Experiments;
using Pbgd.Validation;

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

    private PreparedDataset Prepare(HyperCleaningConfig config) => Load(config).Data;

    private LoadedDataset Load(HyperCleaningConfig config) => config.LoadDataset(_files.Dir);

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
        var fallback = Load(Small with { Dataset = "mnist" });
        Assert.Equal(Fingerprint(synthetic), Fingerprint(fallback.Data));
        Assert.Equal(synthetic.Description, fallback.Data.Description);
        Assert.Equal(new DatasetFallback("mnist", Path.Combine(_files.Dir, "mnist")), fallback.Fallback);
        Assert.Equal("synthetic", fallback.Spec.ToString());
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

    [Fact]
    public void LibsvmWidensTheValidationFileToAWiderTestFile()
    {
        // Every file is widened to the widest: a test file with more features no longer leaves the validation file
        // (read at the training file's width) one short of the others.
        string train = Libsvm("train.svm", 90, 5, 1), wide = Libsvm("wide.svm", 30, 7, 2), val = Libsvm("val.svm", 20, 3, 4);
        var d = Prepare(Small with { Dataset = $"libsvm:{train},{wide}", ValidationFile = val, Scaling = FeatureScaling.None, BiasFeature = false });
        Assert.Equal((7, 7, 7), (d.XTrain.Columns, d.XValidation.Columns, d.XTest.Columns));
        var narrow = LibsvmReader.Read(val, new ReadOptions { MinimumFeatures = 5 }).Data;
        Assert.Equal(narrow.Features.Row(0).ToArray().Concat([0.0, 0.0]), d.XValidation.Row(0).ToArray());
    }

    [Fact]
    public void RefusalsNameTheSettingAndTheFolder()
    {
        string missing = _files.Path("nothing-here");
        var folder = Assert.Throws<DirectoryNotFoundException>(() => Prepare(Small with { Dataset = $"idx:{missing}" }));
        Assert.StartsWith($"{missing} does not hold the four IDX files (train-images-idx3-ubyte", folder.Message);

        string idx = IdxFolder("digits"), csv = Csv("train.csv", 80, 4);
        var validation = Assert.Throws<InvalidValueException>(() => Prepare(Small with { Dataset = $"idx:{idx}", ValidationFile = csv }));
        Assert.Equal(nameof(HyperCleaningConfig.ValidationFile), validation.ParamName);
        Assert.Equal($"a validation file is supported with libsvm: and csv: data sets, not with idx:{idx}.", validation.Message);

        string other = _files.Text("five.csv", "a,b,label,c,d\n1,2,1,3,4\n");
        var width = Assert.Throws<InvalidValueException>(() => Prepare(Small with { Dataset = $"csv:{csv}", LabelColumn = "label", ValidationFile = other }));
        Assert.Equal(nameof(HyperCleaningConfig.ValidationFile), width.ParamName);
        Assert.Equal($"{other} has 4 features but {csv} has 3.", width.Message);
    }

    [Theory]
    [InlineData("cifar", "'cifar' is not a known data set; the choices are:")]
    [InlineData("", "no data set given; the choices are:")]
    [InlineData("mnist:x", "'mnist:x': mnist takes no arguments; the syntax is mnist (")]
    [InlineData("idx:", "'idx:': idx needs a folder; the syntax is idx:DIR (")]
    [InlineData("libsvm:a,b,c", "'libsvm:a,b,c': libsvm needs a training file and, optionally, a test file; the syntax is libsvm:TRAIN[,TEST] (")]
    [InlineData("libsvm:a,", "'libsvm:a,': libsvm needs a training file")]
    [InlineData("csv", "'csv': csv needs a file; the syntax is csv:FILE (")]
    [InlineData("synthetic:3", "'synthetic:3': synthetic takes no arguments")]
    public void BadSpecsAreRefusedNamingTheDatasetSetting(string spec, string message)
    {
        var e = Assert.Throws<InvalidValueException>(() => (Small with { Dataset = spec }).Validate());
        Assert.Equal(nameof(HyperCleaningConfig.Dataset), e.ParamName);
        Assert.StartsWith(message, e.Message);
        if (message.EndsWith("the choices are:", StringComparison.Ordinal))
            foreach (var source in DatasetRegistry.Classification.Sources)
                Assert.Contains($"\n  {source.Syntax}", e.Message);
        Assert.DoesNotContain("Parameter '", e.Message);
        Assert.DoesNotContain("--", e.Message);
    }

    [Fact]
    public void TheRegistriesListEverySchemeOnce()
    {
        Assert.Equal(["mnist", "fashion-mnist", "idx", "libsvm", "csv", "synthetic"], DatasetRegistry.Classification.Sources.Select(s => s.Scheme));
        Assert.Equal("mnist | fashion-mnist | idx:DIR | libsvm:TRAIN[,TEST] | csv:FILE | synthetic", DatasetRegistry.Classification.Syntaxes);
        Assert.Equal(["synthetic", "csv"], DatasetRegistry.Regression.Sources.Select(s => s.Scheme));
        Assert.All(DatasetRegistry.Classification.Choices.Concat(DatasetRegistry.Regression.Choices), line => Assert.DoesNotContain('\n', line));
        Assert.Throws<ArgumentException>(() => new DatasetRegistry<ClassificationRequest, LoadedDataset>(new CsvSource(), new CsvSource()));
        // Colons after the first belong to the arguments (a Windows path); no colon, no arguments.
        Assert.Equal(new DatasetSpec("idx", "C:\\data"), DatasetSpec.Parse("idx:C:\\data"));
        Assert.Equal(new DatasetSpec("mnist", null), DatasetSpec.Parse("mnist"));
        Assert.Equal("libsvm:a,b", DatasetSpec.Parse("libsvm:a,b").ToString());
    }

    // A new format is a source and a registration: here a registry of its own, with the built-in synthetic set.
    private sealed class ConstantSource : IDatasetSource<ClassificationRequest, LoadedDataset>
    {
        public string Scheme => "constant";
        public string Syntax => "constant:VALUE";
        public string Description => "every feature equal to VALUE";
        public string? ArgumentProblem(DatasetSpec spec) => double.TryParse(spec.Arguments, out _) ? null : "needs a number";

        public LoadedDataset Load(DatasetSpec spec, ClassificationRequest request)
        {
            var x = new Linalg.Matrix(20, 2);
            x.Span.Fill(double.Parse(spec.Arguments!, System.Globalization.CultureInfo.InvariantCulture));
            var source = new LabeledData(x, Enumerable.Range(0, 20).Select(i => i % 2).ToArray(), 2, spec.ToString());
            return new LoadedDataset(DatasetPreparation.Prepare(source, null, null, request.Preparation), spec);
        }
    }

    [Fact]
    public void ANewSourceIsOneClassAndOneRegistration()
    {
        var registry = new DatasetRegistry<ClassificationRequest, LoadedDataset>(new ConstantSource(), new SyntheticClustersSource());
        var request = new ClassificationRequest(new PreparationSpec(10, 5, 5, 0.2, FeatureScaling.None, 1, BiasColumn: false));
        var loaded = registry.Load(registry.Parse("constant:2.5", "Dataset"), request);
        Assert.All(loaded.Data.XTrain.Data, v => Assert.Equal(2.5, v));
        Assert.StartsWith("constant:2.5: 10/5/5 split", loaded.Data.Description);
        Assert.Contains("constant:VALUE  every feature equal to VALUE", registry.Choices);
        Assert.Equal("'constant:x': constant needs a number; the syntax is constant:VALUE (every feature equal to VALUE).",
            Assert.Throws<InvalidValueException>(() => registry.Parse("constant:x", "Dataset")).Message);
    }

    [Fact]
    public void RegressionSourcesDeliverTheGeneratorsInstanceOrFourFiles()
    {
        var request = new RegressionRequest(Train: 3, Validation: 5, Features: 6, Outputs: 2, Hidden: 8, Seed: 4);
        var generated = DatasetRegistry.Regression.Load(DatasetRegistry.Regression.Parse("synthetic", "Data"), request);
        var d = Synthetic.RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 4);
        Assert.Equal(d.XTrain.Data, generated.XTrain.Data);
        Assert.Equal(d.YValidation.Data, generated.YValidation.Data);
        Assert.Equal(d.W1.Data, generated.Start!.Value.W1.Data);
        Assert.Equal(d.W2.Data, generated.Start!.Value.W2.Data);

        string[] files = ["1,2\n3,4\n", "5\n6\n", "7,8\n", "9\n"];
        string spec = "csv:" + string.Join(',', files.Select((text, k) => _files.Text($"m{k}.csv", text)));
        var read = DatasetRegistry.Regression.Load(DatasetRegistry.Regression.Parse(spec, "Data"), request);
        Assert.Equal([1.0, 2, 3, 4], read.XTrain.Data);
        Assert.Equal([5.0, 6], read.YTrain.Data);
        Assert.Equal([7.0, 8], read.XValidation.Data);
        Assert.Equal([9.0], read.YValidation.Data);
        Assert.Null(read.Start);
        var bad = Assert.Throws<InvalidValueException>(() => new RepresentationLearningConfig { Data = "csv:a,b,c" }.Validate());
        Assert.Equal(nameof(RepresentationLearningConfig.Data), bad.ParamName);
        Assert.StartsWith("'csv:a,b,c': csv needs four files; the syntax is csv:XTRAIN,YTRAIN,XVAL,YVAL (", bad.Message);
    }
}
