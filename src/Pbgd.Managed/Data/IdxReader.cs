using System.Buffers.Binary;
using System.IO.Compression;
using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>
/// Reads IDX files (MNIST, Fashion-MNIST), raw or gzip-compressed (detected by the 1f 8b magic). Images
/// (magic 00 00 08 03) become rows of pixel values 0…255; labels (00 00 08 01) become integers. The declared
/// sizes are checked against <see cref="LoadLimits"/> and, for raw files, against the file length before
/// anything is allocated; truncation is reported with its byte offset.
/// </summary>
public static class IdxReader
{
    /// <summary>Reads an image file into an N×(rows·cols) matrix of pixel values 0…255.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">Allocation limits; null for the defaults.</param>
    public static Matrix ReadImages(string path, LoadLimits? limits = null)
    {
        limits ??= LoadLimits.Default;
        using var stream = Open(path, out long? rawLength);
        var dims = ReadHeader(stream, path, expectedDims: 3);
        long count = dims[0], features = (long)dims[1] * dims[2];
        if (features > limits.MaxFeatures)
            throw new DataFormatException(path, "byte 8", $"{dims[1]}×{dims[2]} pixels per image exceed the limit of {limits.MaxFeatures} features.");
        if (count * features > limits.MaxValues)
            throw new DataFormatException(path, "byte 4", $"{count} images of {features} pixels exceed the limit of {limits.MaxValues} values.");
        CheckLength(path, rawLength, 16 + count * features);
        var x = new Matrix((int)count, (int)features);
        var row = new byte[features];
        var data = x.Span;
        for (long i = 0; i < count; i++)
        {
            ReadExactly(stream, row, path, 16 + i * features);
            var dst = data.Slice((int)(i * features), (int)features);
            for (int j = 0; j < row.Length; j++) dst[j] = row[j];
        }
        return x;
    }

    /// <summary>Reads a label file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">Allocation limits; null for the defaults.</param>
    public static int[] ReadLabels(string path, LoadLimits? limits = null)
    {
        limits ??= LoadLimits.Default;
        using var stream = Open(path, out long? rawLength);
        long count = ReadHeader(stream, path, expectedDims: 1)[0];
        if (count > limits.MaxValues)
            throw new DataFormatException(path, "byte 4", $"{count} labels exceed the limit of {limits.MaxValues} values.");
        CheckLength(path, rawLength, 8 + count);
        var bytes = new byte[count];
        ReadExactly(stream, bytes, path, 8);
        return Array.ConvertAll(bytes, b => (int)b);
    }

    private static Stream Open(string path, out long? rawLength)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        int b0 = file.ReadByte(), b1 = file.ReadByte();
        file.Position = 0;
        if (b0 == 0x1f && b1 == 0x8b)
        {
            rawLength = null; // unknown until decompressed: truncation is caught while reading
            return new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16);
        }
        rawLength = file.Length;
        return file;
    }

    private static int[] ReadHeader(Stream stream, string path, int expectedDims)
    {
        Span<byte> magic = stackalloc byte[4];
        ReadExactly(stream, magic, path, 0);
        if (magic[0] != 0 || magic[1] != 0)
            throw new DataFormatException(path, "byte 0", $"not an IDX file: magic starts with {magic[0]:x2} {magic[1]:x2}, expected 00 00.");
        if (magic[2] != 0x08)
            throw new DataFormatException(path, "byte 2", $"element type 0x{magic[2]:x2} is not unsigned byte (0x08).");
        if (magic[3] != expectedDims)
            throw new DataFormatException(path, "byte 3",
                $"{magic[3]} dimensions, expected {expectedDims} ({(expectedDims == 3 ? "an image file, magic 00 00 08 03" : "a label file, magic 00 00 08 01")}).");
        var dims = new int[expectedDims];
        Span<byte> word = stackalloc byte[4];
        for (int d = 0; d < expectedDims; d++)
        {
            ReadExactly(stream, word, path, 4 + 4 * d);
            uint value = BinaryPrimitives.ReadUInt32BigEndian(word);
            if (value == 0 || value > int.MaxValue)
                throw new DataFormatException(path, $"byte {4 + 4 * d}", $"dimension {d} is {value}; expected 1…{int.MaxValue}.");
            dims[d] = (int)value;
        }
        return dims;
    }

    private static void CheckLength(string path, long? rawLength, long expected)
    {
        if (rawLength is { } length && length != expected)
            throw new DataFormatException(path, $"byte {Math.Min(length, expected)}",
                length < expected ? $"truncated: the header declares {expected} bytes, the file has {length}."
                                  : $"{length - expected} bytes beyond the {expected} the header declares.");
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, long offset)
    {
        int read = 0;
        try
        {
            while (read < buffer.Length)
            {
                int n = stream.Read(buffer[read..]);
                if (n == 0)
                    throw new DataFormatException(path, $"byte {offset + read}", $"unexpected end of data: {buffer.Length - read} more bytes expected.");
                read += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"byte {offset + read} (decompressed)", $"corrupt gzip data: {e.Message}");
        }
    }
}
