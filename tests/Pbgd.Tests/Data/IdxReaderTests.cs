using Pbgd.Data;

namespace Pbgd.Tests.Data;

/// IDX images and labels, raw and gzip, and the malformed files users will feed the reader.
public sealed class IdxReaderTests : IDisposable
{
    private readonly DataFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ImagesRoundTrip(bool gzip)
    {
        var x = IdxReader.ReadImages(_files.Bytes("img", DataFiles.IdxImages(3, 2, 4), gzip));
        Assert.Equal(3, x.Rows);
        Assert.Equal(8, x.Columns);
        for (int i = 0; i < 24; i++) Assert.Equal(i * 7 % 256, x.Span[i]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LabelsRoundTrip(bool gzip) =>
        Assert.Equal([3, 1, 4, 1, 255], IdxReader.ReadLabels(_files.Bytes("labels", DataFiles.IdxLabels(3, 1, 4, 1, 255), gzip)));

    [Fact]
    public void TruncationNamesTheByteOffset()
    {
        var full = DataFiles.IdxImages(3, 2, 4); // 16 + 24 bytes
        var raw = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(_files.Bytes("t", full[..35])));
        Assert.Contains("truncated", raw.Problem);
        Assert.Equal(35, raw.ByteOffset);
        Assert.Equal("byte 35", raw.Location);
        var gz = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(_files.Bytes("tg", full[..35], gzip: true)));
        Assert.Equal(35, gz.ByteOffset);
        Assert.Equal("byte 35 (decompressed)", gz.Location);
        Assert.EndsWith("tg", gz.FilePath);
        // A header cut short.
        Assert.Equal(10, Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(_files.Bytes("h", full[..10]))).ByteOffset);
        Assert.Equal(0, Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(_files.Bytes("empty", []))).ByteOffset);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DataBeyondTheDeclaredSizeIsRejected(bool gzip)
    {
        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(_files.Bytes("extra", [.. DataFiles.IdxLabels(1, 2), 9], gzip)));
        Assert.Equal(10, e.ByteOffset);
        Assert.Contains("beyond", e.Problem);
    }

    [Fact]
    public void WrongMagicIsRejected()
    {
        byte[] Body(byte[] magic) => [.. magic, .. DataFiles.IdxImages(1, 2, 2)[4..]];
        var labelsMagic = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(_files.Bytes("m", Body([0, 0, 8, 1]))));
        Assert.Equal(3, labelsMagic.ByteOffset);
        Assert.Contains("expected 3", labelsMagic.Problem);
        var zip = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(_files.Bytes("m2", Body([0x50, 0x4b, 3, 4]))));
        Assert.Equal(0, zip.ByteOffset);
        var doubles = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(_files.Bytes("m3", Body([0, 0, 0x0e, 3]))));
        Assert.Equal(2, doubles.ByteOffset);
        Assert.Contains("unsigned byte", doubles.Problem);
        // The label reader checks the dimension count too.
        Assert.Equal(3, Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(_files.Bytes("m4", DataFiles.IdxImages(1, 1, 1)))).ByteOffset);
    }

    [Fact]
    public void ZeroOrNegativeDimensionsAreRejected()
    {
        Assert.Equal(8, Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(_files.Bytes("z", DataFiles.IdxHeader(3, 1, 0, 2)))).ByteOffset);
        Assert.Equal(4, Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(_files.Bytes("n", DataFiles.IdxHeader(1, -5)))).ByteOffset);
    }

    [Fact]
    public void SizeBeyondTheLimitIsRejectedBeforeAllocating()
    {
        // 2³¹−1 images of 28×28 declared, 3 bytes present.
        string path = _files.Bytes("huge", [.. DataFiles.IdxHeader(3, int.MaxValue, 28, 28), 1, 2, 3]);
        var (e, allocated) = DataFiles.ThrowsWithAllocation<DataFormatException>(() => IdxReader.ReadImages(path));
        Assert.Contains("exceed the limit", e.Problem);
        Assert.Equal(4, e.ByteOffset);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
        var wide = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(_files.Bytes("wide", DataFiles.IdxHeader(3, 1, 1 << 15, 1 << 15))));
        Assert.Equal(8, wide.ByteOffset);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SizeWithinTheLimitButAbsentCostsNoAllocation(bool gzip)
    {
        // 300 000 images of 28×28 = 235 M values: allowed by the default limit (2²⁸) but not present in the file. A
        // raw file is refused by its length, a gzip file by running out of data after the first 1 MiB chunk.
        string path = _files.Bytes("big", [.. DataFiles.IdxHeader(3, 300_000, 28, 28), .. new byte[5000]], gzip);
        var (e, allocated) = DataFiles.ThrowsWithAllocation<DataFormatException>(() => IdxReader.ReadImages(path));
        Assert.Contains("truncated", e.Problem);
        Assert.Equal(16 + 5000, e.ByteOffset);
        Assert.True(allocated < 4 << 20, $"allocated {allocated} bytes for a declared {300_000L * 784 * 8} bytes");
        var (labels, labelAllocation) = DataFiles.ThrowsWithAllocation<DataFormatException>(() =>
            IdxReader.ReadLabels(_files.Bytes("biglabels", [.. DataFiles.IdxHeader(1, 200_000_000), 1, 2], gzip)));
        Assert.Equal(10, labels.ByteOffset);
        Assert.True(labelAllocation < 4 << 20, $"allocated {labelAllocation} bytes");
    }

    [Fact]
    public void CorruptGzipIsATypedError()
    {
        var gz = DataFiles.Gzip(DataFiles.IdxImages(50, 4, 4));
        for (int k = 20; k < gz.Length - 8; k++) gz[k] ^= 0x5a; // keep the gzip header, scramble the deflate data
        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(_files.Bytes("bad.gz", gz)));
        Assert.NotNull(e.ByteOffset);
        Assert.Contains("(decompressed)", e.Location);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DatasetChecksCountsAndLabelRange(bool gzip)
    {
        string images = _files.Bytes("i", DataFiles.IdxImages(3, 2, 2), gzip);
        var data = IdxReader.ReadDataset(images, _files.Bytes("l", DataFiles.IdxLabels(0, 9, 4), gzip), name: "tiny");
        Assert.Equal((3, 4), (data.Features.Rows, data.Features.Columns));
        Assert.Equal([0, 9, 4], data.Labels);
        Assert.Equal(10, data.ClassCount);
        Assert.Null(data.TrueLabels);
        Assert.Null(data.CleanMask);
        Assert.Equal("tiny", data.Source);

        var range = Assert.Throws<DataFormatException>(() => IdxReader.ReadDataset(images, _files.Bytes("l2", DataFiles.IdxLabels(0, 10, 4), gzip)));
        Assert.Equal(9, range.ByteOffset);
        Assert.Contains("outside 0…9", range.Problem);
        var count = Assert.Throws<DataFormatException>(() => IdxReader.ReadDataset(images, _files.Bytes("l3", DataFiles.IdxLabels(0, 1), gzip)));
        Assert.Equal(4, count.ByteOffset);
        Assert.Contains("2 labels", count.Problem);
    }

    [Fact]
    public void VerifyStreamsWithoutKeepingTheData()
    {
        string path = _files.Bytes("v.gz", DataFiles.IdxImages(2000, 28, 28), gzip: true);
        IdxReader.Verify(path); // warm up: the first call JIT-compiles and allocates for that
        long before = GC.GetAllocatedBytesForCurrentThread();
        var info = IdxReader.Verify(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(new IdxInfo(3, 2000, 28, 28, Compressed: true), info);
        Assert.True(allocated < 1 << 20, $"Verify allocated {allocated} bytes for a {2000 * 784}-byte payload");
        Assert.Equal(new IdxInfo(1, 2, 1, 1, false), IdxReader.Verify(_files.Bytes("vl", DataFiles.IdxLabels(1, 2))));
        Assert.Throws<DataFormatException>(() => IdxReader.Verify(_files.Bytes("vt", DataFiles.IdxImages(2, 2, 2)[..20])));
    }

    [Fact]
    public void MissingFileIsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(_files.Path("absent")));
}
