using System.Globalization;
using System.Text;
using Pbgd.Data;
using Pbgd.Distributed;
using Pbgd.Tests.Data;

namespace Pbgd.Tests.Distributed;

/// <summary>
/// Each process of a data-parallel run reads only its share of the training rows (ranks as threads here): for every
/// format the rows rank r keeps are exactly rows [first_r, first_r + rows_r) of the single-process preparation — the
/// split, corruption, labels, clean flags and scaling included — the validation and test sets are every rank's, uneven
/// sizes work, more ranks than parts are refused, and a malformed value is found by the rank that reads it alone.
/// </summary>
public sealed class ShardedLoadingTests : IDisposable
{
    private readonly DataFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static readonly PreparationSpec Spec = new(Train: 1001, Validation: 150, Test: 120, Corruption: 0.4, FeatureScaling.Divide255, Seed: 5, BiasColumn: true);

    public static TheoryData<string> Formats => new() { "idx", "idx-gz", "libsvm", "libsvm-val-test", "csv", "synthetic" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void EachRankKeepsExactlyItsRowsOfTheSingleProcessPreparation(string format)
    {
        var (spec, request) = Request(format);
        var whole = DatasetRegistry.Classification.Load(spec, request).Data;
        Assert.Null(whole.Shard);
        foreach (int k in new[] { 1, 2, 3 })
        {
            var shares = ThreadWorld.Run(k, comm => DatasetRegistry.Classification.Load(spec, request with { Communicator = comm }).Data);
            int next = 0;
            foreach (var share in shares)
            {
                var shard = share.Shard!;
                Assert.Equal(next, shard.Partition.FirstRow);
                Assert.Equal(Spec.Train, share.GlobalTrainCount);
                next += shard.Rows;
                Assert.Equal(Rows(whole.XTrain.Data, shard, whole.XTrain.Columns), share.XTrain.Data);
                Assert.Equal(Rows(whole.YTrain.Data, shard, whole.YTrain.Columns), share.YTrain.Data);
                Assert.Equal(whole.TrainLabels.AsSpan(shard.Partition.FirstRow, shard.Rows).ToArray(), share.TrainLabels);
                Assert.Equal(whole.CleanMask!.AsSpan(shard.Partition.FirstRow, shard.Rows).ToArray(), share.CleanMask);
                Assert.Equal(whole.XValidation.Data, share.XValidation.Data);
                Assert.Equal(whole.YValidation.Data, share.YValidation.Data);
                Assert.Equal(whole.XTest.Data, share.XTest.Data);
                Assert.Equal(whole.TestLabels, share.TestLabels);
                Assert.Equal(whole.Description, share.Description);
            }
            Assert.Equal(Spec.Train, next); // uneven: 1 001 rows in 3 parts of 333, 334, 334
        }
    }

    [Fact]
    public void MoreRanksThanPartsAreRefusedSayingHowMany()
    {
        var (spec, request) = Request("synthetic");
        request = request with { Preparation = Spec with { Train = 600 } };
        var e = Assert.Throws<AggregateException>(() => ThreadWorld.Run(3, comm => DatasetRegistry.Classification.Load(spec, request with { Communicator = comm })));
        var refusal = Assert.IsType<Pbgd.Validation.InvalidValueException>(e.InnerException);
        Assert.Equal("Train", refusal.ParamName);
        Assert.Contains("3 processes cannot share 600 training rows", refusal.Message);
        Assert.Contains("at most 2 processes", refusal.Message);
    }

    [Fact]
    public void OnlyPbgdRunsOnRowsSpreadOverRanks()
    {
        var config = Pbgd.Experiments.HyperCleaningConfig.Default with
        {
            Dataset = "synthetic", Train = 600, Validation = 100, Test = 100, Algorithm = Pbgd.Experiments.Setup.BilevelAlgorithm.F2sa,
        };
        var outcomes = ThreadWorld.RunAll(2, comm => Pbgd.Experiments.HyperCleaningExperiment.BuildProblem(config, SyntheticClustersSource.Prepare(config.Preparation, comm)));
        foreach (var (_, error) in outcomes)
        {
            var refusal = Assert.IsType<Pbgd.Validation.InvalidValueException>(error);
            Assert.Equal("Algorithm", refusal.ParamName);
            Assert.Contains("PBGD-B or PBGD-J", refusal.Message);
        }
    }

    [Theory]
    [InlineData("libsvm")]
    [InlineData("csv")]
    public void AMalformedValueIsReportedByTheRankThatReadsIt(string format)
    {
        var (spec, request) = Request(format);
        // The source row that ends up as training row 900, which rank 2 of 3 holds.
        int target = ShardedPreparation.Plan(SourceRows, true, true, Spec, 10, SingleProcess.Instance).TrainRows[900];
        string path = spec.List[0];
        var lines = File.ReadAllLines(path).ToList();
        // The line of that sample: CSV has a header line; the LIBSVM file a comment line and blank lines, which are not samples.
        int lineIndex = format == "csv" ? target + 1
            : lines.Select((l, i) => (l, i)).Where(p => p.l.Length > 0 && !p.l.StartsWith('#')).ElementAt(target).i;
        lines[lineIndex] = format == "csv"
            ? string.Join(',', lines[lineIndex].Split(',').Select((f, j) => j == 3 ? "abc" : f))
            : lines[lineIndex].Replace(" 4:", " 4:abc") + (lines[lineIndex].Contains(" 4:") ? "" : " 4:abc");
        File.WriteAllLines(path, lines);
        // Only rank 2 parses the line; the others stop because it aborts (as MPI_Abort ends them), not on their own.
        var outcomes = ThreadWorld.RunAll(3, comm => DatasetRegistry.Classification.Load(spec, request with { Communicator = comm }));
        var error = Assert.IsType<DataFormatException>(outcomes[2].Error);
        Assert.Contains(path, error.Message);
        Assert.Contains($"line {lineIndex + 1}", error.Message);
        foreach (var other in outcomes[..2]) Assert.True(other.Error is null or OperationCanceledException, other.Error?.ToString());
    }

    private const int SourceRows = 1400;

    private (DatasetSpec Spec, ClassificationRequest Request) Request(string format)
    {
        var random = new Random(17);
        const int m = 16, classes = 10;
        var x = new byte[SourceRows, m];
        var labels = new byte[SourceRows];
        for (int i = 0; i < SourceRows; i++)
        {
            labels[i] = (byte)random.Next(classes);
            for (int j = 0; j < m; j++) x[i, j] = (byte)(random.Next(4) == 0 ? 0 : random.Next(256));
        }
        var request = new ClassificationRequest(Spec);
        switch (format)
        {
            case "idx" or "idx-gz":
            {
                string folder = _files.Path("idx");
                Directory.CreateDirectory(folder);
                bool gz = format == "idx-gz";
                string suffix = gz ? ".gz" : "";
                var images = DataFiles.IdxHeader(3, SourceRows, 4, 4).Concat(Enumerable.Range(0, SourceRows * m).Select(k => x[k / m, k % m])).ToArray();
                File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte" + suffix), gz ? DataFiles.Gzip(images) : images);
                File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte" + suffix), gz ? DataFiles.Gzip(DataFiles.IdxLabels(labels)) : DataFiles.IdxLabels(labels));
                File.WriteAllBytes(Path.Combine(folder, "t10k-images-idx3-ubyte"), DataFiles.IdxImages(50, 4, 4));
                File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte"), DataFiles.IdxLabels([.. Enumerable.Range(0, 50).Select(i => (byte)(i % 10))]));
                return (DatasetSpec.Parse($"idx:{folder}"), request);
            }
            case "libsvm" or "libsvm-val-test":
            {
                string Libsvm(string name, int from, int count)
                {
                    var text = new StringBuilder("# a comment line\n");
                    for (int i = from; i < from + count; i++)
                    {
                        text.Append(labels[i] + 1);
                        for (int j = 0; j < m; j++)
                            if (x[i, j] != 0) text.Append(CultureInfo.InvariantCulture, $" {j + 1}:{x[i, j]}");
                        text.Append('\n');
                        if (i % 97 == 0) text.Append('\n'); // blank lines are not samples
                    }
                    return _files.Text(name, text.ToString());
                }
                if (format == "libsvm") return (DatasetSpec.Parse($"libsvm:{Libsvm("train.svm", 0, SourceRows)}"), request);
                string train = Libsvm("train.svm", 0, 1100), test = Libsvm("test.svm", 1100, 150), val = Libsvm("val.svm", 1250, 150);
                return (DatasetSpec.Parse($"libsvm:{train},{test}"), request with { ValidationFile = val });
            }
            case "csv":
            {
                var text = new StringBuilder(string.Join(',', Enumerable.Range(0, m).Select(j => $"f{j}")) + ",label\n");
                for (int i = 0; i < SourceRows; i++)
                    text.Append(string.Join(',', Enumerable.Range(0, m).Select(j => x[i, j].ToString(CultureInfo.InvariantCulture)))).Append(',').Append(labels[i]).Append('\n');
                return (DatasetSpec.Parse($"csv:{_files.Text("train.csv", text.ToString())}"), request);
            }
            default:
                return (DatasetSpec.Parse("synthetic"), request);
        }
    }

    private static double[] Rows(double[] data, RowShard shard, int columns) =>
        data.AsSpan(shard.Partition.FirstRow * columns, shard.Rows * columns).ToArray();
}
