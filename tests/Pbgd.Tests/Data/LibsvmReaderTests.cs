using Pbgd.Data;
using Pbgd.Validation;

namespace Pbgd.Tests.Data;

public sealed class LibsvmReaderTests : IDisposable
{
    private readonly DataFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void DensifiesAndMapsLabels()
    {
        string path = _files.Text("a.svm", "# comment\n+1 1:0.5 3:2\r\n-1\t2:-1 # trailing\n\n+1 qid:3 3:4e-1");
        var (data, map) = LibsvmReader.Read(path);
        Assert.Equal((3, 3), (data.Features.Rows, data.Features.Columns));
        Assert.Equal([-1L, 1L], map.Values);
        Assert.Equal([1, 0, 1], data.Labels);
        Assert.Equal(2, data.ClassCount);
        Assert.Equal([0.5, 0, 2, 0, -1, 0, 0, 0, 0.4], data.Features.Data);
    }

    [Fact]
    public void TestFileReusesTheMapAndPads()
    {
        var (_, map) = LibsvmReader.Read(_files.Text("train.svm", "3 1:1 4:1\n7 2:1\n"));
        var (test, _) = LibsvmReader.Read(_files.Text("test.svm", "7 1:5\n3 2:1\n"), new ReadOptions { LabelMap = map, MinimumFeatures = 4 });
        Assert.Equal(4, test.Features.Columns);
        Assert.Equal([1, 0], test.Labels);
        var unseen = Assert.Throws<DataFormatException>(() => LibsvmReader.Read(_files.Text("t2.svm", "3 1:1\n\n5 1:1\n"), new ReadOptions { LabelMap = map }));
        Assert.Equal(3, unseen.Line);
        Assert.Contains("does not occur", unseen.Problem);
        var negative = Assert.Throws<InvalidValueException>(() => LibsvmReader.Read(_files.Text("t3.svm", "3 1:1\n"), new ReadOptions { MinimumFeatures = -1 }));
        Assert.Equal(nameof(ReadOptions.MinimumFeatures), negative.ParamName);
        Assert.Equal("the minimum feature count must be ≥ 0, not -1.", negative.Message);
    }

    [Fact]
    public void RealTargets()
    {
        var data = LibsvmReader.ReadTargets(_files.Text("r.svm", "0.25 1:1\n-3.5e2 2:2\n"));
        Assert.Equal([0.25, -350], data.Targets);
        Assert.Equal([1.0, 0, 0, 2], data.Features.Data);
        Assert.Contains("ReadTargets", Assert.Throws<DataFormatException>(() => LibsvmReader.Read(_files.Text("r2.svm", "0.25 1:1\n"))).Problem);
    }

    [Theory]
    [InlineData("1 2000000000:1", "exceeds the limit")]
    [InlineData("1 99999999999999999999999:1", "not a positive integer")]
    [InlineData("1 3:abc", "is not a number")]
    [InlineData("1 0:1", "not a positive integer")]
    [InlineData("1 -2:1", "not a positive integer")]
    [InlineData("1.5 1:1", "not an integer class label")]
    [InlineData("x 1:1", "not a finite number")]
    [InlineData("NaN 1:1", "not a finite number")]
    [InlineData("1 1:NaN", "must be finite")]
    [InlineData("1 1:-Infinity", "must be finite")]
    [InlineData("1 1-2", "is not index:value")]
    [InlineData("1 :2", "is not index:value")]
    public void ErrorsNameTheLine(string content, string problem)
    {
        string path = _files.Text("bad.svm", "0 1:1\n" + content + "\n2 1:1\n");
        var e = Assert.Throws<DataFormatException>(() => LibsvmReader.Read(path));
        Assert.Equal(2, e.Line);
        Assert.Equal("line 2", e.Location);
        Assert.Equal(path, e.FilePath);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void FeatureIndexOfTwoBillionCostsNoAllocation()
    {
        string path = _files.Text("idx.svm", "1 1:1\n1 2000000000:1\n");
        LibsvmReader.Read(_files.Text("warm.svm", "1 1:1\n")); // JIT and first-use allocations out of the way
        var (e, allocated) = DataFiles.ThrowsWithAllocation<DataFormatException>(() => LibsvmReader.Read(path));
        Assert.Equal(2, e.Line);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
        // Under a raised feature limit the same file is refused by the densify limit instead.
        var limits = new LoadLimits { MaxFeatures = int.MaxValue };
        var (dense, denseAllocated) = DataFiles.ThrowsWithAllocation<DataFormatException>(() => LibsvmReader.Read(path, new ReadOptions { Limits = limits }));
        Assert.Contains("densifying 2 samples (by line 2) × 2000000000 features", dense.Problem);
        Assert.True(denseAllocated < 1 << 20, $"allocated {denseAllocated} bytes");
    }

    [Fact]
    public void DensifyLimitIsCheckedLineByLine()
    {
        var limits = new LoadLimits { MaxValues = 100 };
        string path = _files.Text("many.svm", string.Concat(Enumerable.Range(0, 20).Select(i => $"{i % 2} 10:1\n")));
        var e = Assert.Throws<DataFormatException>(() => LibsvmReader.Read(path, new ReadOptions { Limits = limits }));
        Assert.Equal(11, e.Line); // 11 × 10 > 100
        Assert.Equal(10, LibsvmReader.Read(_files.Text("ok.svm", string.Concat(Enumerable.Range(0, 10).Select(i => $"{i % 2} 10:1\n"))), new ReadOptions { Limits = limits }).Data.Count);
    }

    [Fact]
    public void OverlongLineIsATypedError()
    {
        var limits = new LoadLimits { MaxLineLength = 1000 };
        string path = _files.Text("long.svm", "1 1:1\n1 " + string.Join(' ', Enumerable.Range(1, 5000).Select(i => $"{i}:1")) + "\n");
        var e = Assert.Throws<DataFormatException>(() => LibsvmReader.Read(path, new ReadOptions { Limits = limits }));
        Assert.Equal(2, e.Line);
        Assert.Contains("longer than 1000", e.Problem);
    }

    [Fact]
    public void FileWithoutSamplesIsRejected() =>
        Assert.Contains("no samples", Assert.Throws<DataFormatException>(() => LibsvmReader.Read(_files.Text("c.svm", "# only\n\n"))).Problem);
}
