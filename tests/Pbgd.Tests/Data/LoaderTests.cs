using System.IO.Compression;
using Pbgd.Data;

namespace Pbgd.Tests.Data;

/// Each format on small files the tests write, and the malformed inputs users will feed it.
public sealed class LoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteIdxImages(string name, int count, int rows, int cols, bool gzip = false, byte[]? magic = null, int truncateBy = 0)
    {
        var bytes = new List<byte>(magic ?? [0, 0, 8, 3]);
        foreach (int d in new[] { count, rows, cols }) bytes.AddRange(BitConverter.GetBytes(d).Reverse());
        for (int i = 0; i < count * rows * cols; i++) bytes.Add((byte)(i * 7 % 256));
        var data = bytes.Take(bytes.Count - truncateBy).ToArray();
        string path = Path.Combine(_dir, name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var z = new GZipStream(file, CompressionLevel.Fastest);
            z.Write(data);
        }
        else File.WriteAllBytes(path, data);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IdxImagesRoundTrip(bool gzip)
    {
        var x = IdxReader.ReadImages(WriteIdxImages("img", 3, 2, 4, gzip));
        Assert.Equal(3, x.Rows);
        Assert.Equal(8, x.Columns);
        for (int i = 0; i < 24; i++) Assert.Equal(i * 7 % 256, x.Span[i]);
    }

    [Fact]
    public void IdxLabelsRoundTrip()
    {
        string path = Path.Combine(_dir, "labels");
        File.WriteAllBytes(path, [0, 0, 8, 1, 0, 0, 0, 4, 3, 1, 4, 1]);
        Assert.Equal(new[] { 3, 1, 4, 1 }, IdxReader.ReadLabels(path));
    }

    [Fact]
    public void TruncatedIdxNamesTheByteOffset()
    {
        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(WriteIdxImages("t", 3, 2, 4, truncateBy: 5)));
        Assert.Contains("truncated", e.Problem);
        Assert.Equal("byte 35", e.Location);
        var g = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(WriteIdxImages("tg", 3, 2, 4, gzip: true, truncateBy: 5)));
        Assert.Contains("byte 35", g.Location);
    }

    [Fact]
    public void WrongMagicIsRejected()
    {
        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(WriteIdxImages("m", 1, 2, 2, magic: [0, 0, 8, 1])));
        Assert.Equal("byte 3", e.Location);
        Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(WriteIdxImages("m2", 1, 2, 2, magic: [0x50, 0x4b, 3, 4])));
    }

    [Fact]
    public void HugeDeclaredSizeIsRejectedBeforeAllocating()
    {
        string path = Path.Combine(_dir, "huge");
        File.WriteAllBytes(path, [0, 0, 8, 3, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));
        Assert.Contains("exceed the limit", e.Problem);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the loader allocated for the declared size");
    }

    [Fact]
    public void LibsvmDensifiesAndMapsLabels()
    {
        string path = Path.Combine(_dir, "a.svm");
        File.WriteAllText(path, "# comment\n+1 1:0.5 3:2\n-1 2:-1 # trailing\n\n+1 qid:3 3:4e-1\n");
        var (data, map) = LibsvmReader.Read(path);
        Assert.Equal(3, data.Features.Rows);
        Assert.Equal(3, data.Features.Columns);
        Assert.Equal(new long[] { -1, 1 }, map.Values);
        Assert.Equal(new[] { 1, 0, 1 }, data.Labels);
        Assert.Equal(new double[] { 0.5, 0, 2, 0, -1, 0, 0, 0, 0.4 }, data.Features.Data);
    }

    [Theory]
    [InlineData("1 2000000000:1\n", "exceeds the limit")]
    [InlineData("1 3:abc\n", "is not a number")]
    [InlineData("1 0:1\n", "not a positive integer")]
    [InlineData("1.5 1:1\n", "not an integer class label")]
    [InlineData("1 1:NaN\n", "must be finite")]
    [InlineData("1 1-2\n", "is not index:value")]
    public void LibsvmErrorsNameTheLine(string content, string problem)
    {
        string path = Path.Combine(_dir, "bad.svm");
        File.WriteAllText(path, "0 1:1\n" + content);
        var e = Assert.Throws<DataFormatException>(() => LibsvmReader.Read(path));
        Assert.Equal("line 2", e.Location);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void CsvWithHeaderAndNamedLabel()
    {
        string path = Path.Combine(_dir, "a.csv");
        File.WriteAllText(path, "x1,label,x2\n1.5,3,2\n-1,7,0.25\n");
        var (data, map) = CsvDatasetReader.Read(path, "label");
        Assert.Equal(new double[] { 1.5, 2, -1, 0.25 }, data.Features.Data);
        Assert.Equal(new long[] { 3, 7 }, map.Values);
        Assert.Equal(new[] { 0, 1 }, data.Labels);
        var (noHeader, _) = CsvDatasetReader.Read(WriteText("b.csv", "1,2,0\n3,4,1\n"));
        Assert.Equal(new double[] { 1, 2, 3, 4 }, noHeader.Features.Data);
    }

    [Theory]
    [InlineData("1,2,0\n3,4\n", "line 2", "2 fields")]
    [InlineData("1,2,0\n3,x,1\n", "line 2, column 2", "not a number")]
    [InlineData("1,2,0\n3,Infinity,1\n", "line 2, column 2", "not a finite number")]
    [InlineData("1,2,0\n3,NaN,1\n", "line 2, column 2", "not a finite number")]
    [InlineData("1,2,0\n3,4,0.5\n", "line 2, column 3", "not an integer class label")]
    public void CsvErrorsNameLineAndColumn(string content, string location, string problem)
    {
        var e = Assert.Throws<DataFormatException>(() => CsvDatasetReader.Read(WriteText("bad.csv", content)));
        Assert.Equal(location, e.Location);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void LabelsOutOfRangeAreRejected()
    {
        var x = new Linalg.Matrix(2, 1);
        var e = Assert.Throws<DataFormatException>(() => new LabeledData(x, [1, 12], 10, "mem").Validated());
        Assert.Equal("sample 1", e.Location);
        var map = new LabelMap([0L, 1L]);
        var test = WriteText("t.csv", "1,0\n2,5\n");
        Assert.Contains("does not occur", Assert.Throws<DataFormatException>(() => CsvDatasetReader.Read(test, labelMap: map)).Problem);
    }

    private string WriteText(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
