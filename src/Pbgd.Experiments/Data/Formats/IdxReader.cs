using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>
/// Reads IDX files (MNIST, Fashion-MNIST), raw or gzip-compressed (detected by the 1f 8b magic). Images
/// (magic 00 00 08 03) become rows of pixel values 0…255; labels (00 00 08 01) become integers. Declared sizes
/// are checked against <see cref="LoadLimits"/>, and for raw files against the file length, before anything is
/// allocated; a gzip file's payload is read in bounded chunks, so truncation costs no more than the data present.
/// Errors are <see cref="DataFormatException"/>s carrying the byte offset.
/// </summary>
public static class IdxReader
{
    /// <summary>Reads an image file into an N×(rows·cols) matrix of pixel values 0…255.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">Allocation limits; null for the defaults.</param>
    public static Matrix ReadImages(string path, LoadLimits? limits = null) => ReadImages(path, limits, expectedCount: null);

    /// <summary>Reads a label file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">Allocation limits; null for the defaults.</param>
    public static int[] ReadLabels(string path, LoadLimits? limits = null)
    {
        limits ??= LoadLimits.Default;
        using var idx = IdxStream.Open(path, expectedDims: 1);
        if (idx.Info.Count > limits.MaxValues)
            throw DataFormatException.AtByte(path, 4, $"{idx.Info.Count} labels exceed the limit of {limits.MaxValues} values.", idx.Info.Compressed);
        var chunks = idx.ReadPayload();
        var labels = new int[idx.Info.Count]; // only now, with every byte present
        int k = 0;
        foreach (var chunk in chunks)
            foreach (byte b in chunk) labels[k++] = b;
        return labels;
    }

    /// <summary>Reads an image file and its label file as one data set, checking that the counts agree and that
    /// every label is below <paramref name="classCount"/> (reported with the label's byte offset).</summary>
    /// <param name="imagesPath">The image file.</param>
    /// <param name="labelsPath">The label file.</param>
    /// <param name="classCount">C (10 for MNIST and Fashion-MNIST).</param>
    /// <param name="name">Name for messages; null for the image file's path.</param>
    /// <param name="limits">Allocation limits; null for the defaults.</param>
    public static LabeledData ReadDataset(string imagesPath, string labelsPath, int classCount = 10, string? name = null, LoadLimits? limits = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        var labels = ReadLabels(labelsPath, limits);
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] >= classCount)
                throw DataFormatException.AtByte(labelsPath, 8 + i, $"label {labels[i]} is outside 0…{classCount - 1}.", IsGzip(labelsPath));
        var x = ReadImages(imagesPath, limits, expectedCount: labels.Length);
        return new LabeledData(x, labels, classCount, name ?? imagesPath).Validated();
    }

    /// <summary>Checks a whole file (header, declared size, every byte present, nothing after) while keeping only a
    /// small buffer, and returns its header: for verifying downloads without loading them.</summary>
    /// <param name="path">The file.</param>
    public static IdxInfo Verify(string path)
    {
        using var idx = IdxStream.Open(path, expectedDims: null);
        idx.ScanPayload(static (_, _, _) => { });
        return idx.Info;
    }

    private static Matrix ReadImages(string path, LoadLimits? limits, int? expectedCount)
    {
        limits ??= LoadLimits.Default;
        using var idx = IdxStream.Open(path, expectedDims: 3);
        var info = idx.Info;
        bool gz = info.Compressed;
        if (info.ItemBytes > limits.MaxFeatures)
            throw DataFormatException.AtByte(path, 8, $"{info.Rows}×{info.Columns} pixels per image exceed the limit of {limits.MaxFeatures} features.", gz);
        if (idx.PayloadBytes > limits.MaxValues)
            throw DataFormatException.AtByte(path, 4, $"{info.Count} images of {info.ItemBytes} pixels exceed the limit of {limits.MaxValues} values.", gz);
        if (expectedCount is { } n && info.Count != n)
            throw DataFormatException.AtByte(path, 4, $"{info.Count} images, but the label file has {n} labels.", gz);
        Matrix x;
        if (!gz)
        {
            // A raw file's length matches the header (checked before allocating): convert straight from the
            // file into the matrix, without a byte copy of the payload.
            idx.CheckRawLength();
            x = new Matrix(info.Count, (int)info.ItemBytes);
            idx.ScanPayload((buffer, count, offset) => Widen(buffer.AsSpan(0, count), x.Span.Slice((int)offset, count)));
            return x;
        }
        // A gzip file proves its length only by being read: buffer the bytes (bounded by what is present), and
        // allocate the matrix once every byte has arrived.
        var chunks = idx.ReadPayload();
        x = new Matrix(info.Count, (int)info.ItemBytes);
        int at = 0;
        foreach (var chunk in chunks)
        {
            Widen(chunk, x.Span.Slice(at, chunk.Length));
            at += chunk.Length;
        }
        return x;
    }

    private static void Widen(ReadOnlySpan<byte> source, Span<double> destination)
    {
        for (int j = 0; j < source.Length; j++) destination[j] = source[j];
    }

    private static bool IsGzip(string path)
    {
        using var file = InputFiles.OpenRead(path);
        return file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
    }
}
