using System.Buffers.Binary;
using System.IO.Compression;

namespace Pbgd.Data;

/// <summary>
/// An open IDX file positioned after its header: detects gzip by its 1f 8b magic, validates the header, and
/// reads the payload in bounded chunks so that a header declaring more data than the file holds costs no
/// allocation beyond what is actually present (a raw file's length is checked before the first chunk).
/// </summary>
internal sealed class IdxStream : IDisposable
{
    private const int ChunkBytes = 1 << 20;
    private readonly Stream _stream;
    private readonly bool _compressed;
    private readonly long? _rawLength;

    private IdxStream(string path, Stream stream, bool compressed, IdxInfo info, long? rawLength)
    {
        _rawLength = rawLength;
        Path = path;
        _stream = stream;
        _compressed = compressed;
        Info = info;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The validated header.</summary>
    public IdxInfo Info { get; }

    /// <summary>Header length: magic plus one 32-bit word per dimension.</summary>
    public long HeaderBytes => 4 + 4L * Info.Dimensions;

    /// <summary>Payload length the header declares.</summary>
    public long PayloadBytes => Info.Count * Info.ItemBytes;

    /// <summary>Opens a file and validates its header against the expected dimension count (1 = labels,
    /// 3 = images; null accepts either).</summary>
    public static IdxStream Open(string path, int? expectedDims)
    {
        FileStream file = InputFiles.OpenRead(path);
        try
        {
            int b0 = file.ReadByte(), b1 = file.ReadByte();
            file.Position = 0;
            bool compressed = b0 == 0x1f && b1 == 0x8b;
            Stream stream = compressed ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16) : file;
            var info = ReadHeader(stream, path, expectedDims, compressed);
            return new IdxStream(path, stream, compressed, info, compressed ? null : file.Length);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Compares a raw file's length with the declared size (no-op for gzip, whose length is unknown until
    /// read). Callers check their limits first, so that an absurd declaration is reported as such rather than as
    /// truncation, and allocate nothing of the declared size before this.</summary>
    public void CheckRawLength()
    {
        if (_rawLength is not { } length) return;
        long expected = HeaderBytes + PayloadBytes;
        if (length != expected)
            throw DataFormatException.AtByte(Path, Math.Min(length, expected),
                length < expected ? $"truncated: the header declares {expected} bytes, the file has {length}."
                                  : $"{length - expected} bytes beyond the {expected} the header declares.");
    }

    /// <summary>Reads the whole payload into chunks of at most 1 MiB, allocating each only when the previous one
    /// was filled, then checks that nothing follows it.</summary>
    public List<byte[]> ReadPayload()
    {
        CheckRawLength();
        var chunks = new List<byte[]>();
        long remaining = PayloadBytes, offset = HeaderBytes;
        while (remaining > 0)
        {
            var chunk = new byte[Math.Min(remaining, ChunkBytes)];
            ReadExactly(chunk, offset);
            chunks.Add(chunk);
            remaining -= chunk.Length;
            offset += chunk.Length;
        }
        CheckEnd();
        return chunks;
    }

    /// <summary>Streams through the payload with one small buffer (for verification without keeping the data);
    /// calls <paramref name="inspect"/> on each piece with its payload offset.</summary>
    public void ScanPayload(Action<byte[], int, long> inspect)
    {
        CheckRawLength();
        var buffer = new byte[1 << 16];
        long remaining = PayloadBytes, offset = 0;
        while (remaining > 0)
        {
            int n = (int)Math.Min(remaining, buffer.Length);
            ReadExactly(buffer.AsSpan(0, n), HeaderBytes + offset);
            inspect(buffer, n, offset);
            remaining -= n;
            offset += n;
        }
        CheckEnd();
    }

    // A gzip file's decompressed length is unknown until read; extra bytes mean the header is wrong.
    private void CheckEnd()
    {
        if (!_compressed) return;
        long end = HeaderBytes + PayloadBytes;
        try
        {
            if (_stream.ReadByte() >= 0)
                throw DataFormatException.AtByte(Path, end, $"data beyond the {end} bytes the header declares.", decompressed: true);
        }
        catch (InvalidDataException e)
        {
            throw DataFormatException.AtByte(Path, end, $"corrupt gzip data after the payload: {e.Message}", decompressed: true);
        }
    }

    private static IdxInfo ReadHeader(Stream stream, string path, int? expected, bool compressed)
    {
        Span<byte> magic = stackalloc byte[4];
        ReadExactly(stream, magic, path, 0, compressed);
        if (magic[0] != 0 || magic[1] != 0)
            throw DataFormatException.AtByte(path, 0, $"not an IDX file: magic starts with {magic[0]:x2} {magic[1]:x2}, expected 00 00.", compressed);
        if (magic[2] != 0x08)
            throw DataFormatException.AtByte(path, 2, $"element type 0x{magic[2]:x2} is not unsigned byte (0x08).", compressed);
        int expectedDims = expected ?? (magic[3] == 1 ? 1 : 3);
        if (magic[3] != expectedDims)
            throw DataFormatException.AtByte(path, 3,
                $"{magic[3]} dimensions, expected {(expected is null ? "1 or 3 (a label or image file)" : expectedDims == 3 ? "3 (an image file, magic 00 00 08 03)" : "1 (a label file, magic 00 00 08 01)")}.",
                compressed);
        Span<int> dims = stackalloc int[3];
        dims.Fill(1);
        Span<byte> word = stackalloc byte[4];
        for (int d = 0; d < expectedDims; d++)
        {
            ReadExactly(stream, word, path, 4 + 4 * d, compressed);
            uint value = BinaryPrimitives.ReadUInt32BigEndian(word);
            if (value == 0 || value > int.MaxValue)
                throw DataFormatException.AtByte(path, 4 + 4 * d, $"dimension {d} is {value}; expected 1…{int.MaxValue}.", compressed);
            dims[d] = (int)value;
        }
        return new IdxInfo(expectedDims, dims[0], dims[1], dims[2], compressed);
    }

    private void ReadExactly(Span<byte> buffer, long offset) => ReadExactly(_stream, buffer, Path, offset, _compressed);

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, long offset, bool compressed)
    {
        int read = 0;
        try
        {
            while (read < buffer.Length)
            {
                int n = stream.Read(buffer[read..]);
                if (n == 0)
                    throw DataFormatException.AtByte(path, offset + read,
                        $"truncated: unexpected end of data, {buffer.Length - read} more bytes expected.", compressed);
                read += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw DataFormatException.AtByte(path, offset + read, $"corrupt gzip data: {e.Message}", compressed);
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _stream.Dispose();
}
