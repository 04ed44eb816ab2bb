using System.IO.Compression;

namespace Pbgd.Tests.Data;

/// A temporary folder and writers for the small files the loader tests feed the readers.
public sealed class DataFiles : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("pbgd-data-").FullName;

    public void Dispose() => Directory.Delete(Dir, recursive: true);

    public string Path(string name) => System.IO.Path.Combine(Dir, name);

    public string Text(string name, string content)
    {
        File.WriteAllText(Path(name), content);
        return Path(name);
    }

    public string Bytes(string name, byte[] content, bool gzip = false)
    {
        File.WriteAllBytes(Path(name), gzip ? Gzip(content) : content);
        return Path(name);
    }

    /// IDX header: 00 00 08 dims, then the dimensions big-endian.
    public static byte[] IdxHeader(byte dims, params int[] sizes)
    {
        var bytes = new List<byte> { 0, 0, 8, dims };
        foreach (int d in sizes) bytes.AddRange(BitConverter.GetBytes(d).Reverse());
        return [.. bytes];
    }

    /// An image file whose pixel k is k·7 mod 256.
    public static byte[] IdxImages(int count, int rows, int cols) =>
        [.. IdxHeader(3, count, rows, cols), .. Enumerable.Range(0, count * rows * cols).Select(k => (byte)(k * 7 % 256))];

    public static byte[] IdxLabels(params byte[] labels) => [.. IdxHeader(1, labels.Length), .. labels];

    public static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var z = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) z.Write(data);
        return ms.ToArray();
    }

    /// Bytes allocated on this thread by an action that must throw T. Only this thread is counted: xunit runs other
    /// test classes concurrently, and their allocations would make GC.GetTotalAllocatedBytes meaningless here.
    public static (T Error, long Allocated) ThrowsWithAllocation<T>(Action action) where T : Exception
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<T>(action);
        return (error, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
