using System.Buffers.Binary;
using System.Text.Json;
using Pbgd.Experiments;
using Pbgd.Linalg;

namespace Pbgd.Benchmarks;

/// <summary>
/// The matrices of a prepared hyper-cleaning split, written for the peer implementations in benchmarks/peers
/// (numpy reads them with <c>np.fromfile</c>). One file per matrix, NAME.f64:
/// <code>
/// bytes 0–7    ASCII "PBGDMAT1"
/// bytes 8–11   rows, int32 little-endian
/// bytes 12–15  columns, int32 little-endian
/// bytes 16–    rows·columns float64 little-endian, row-major
/// </code>
/// Label vectors and the clean mask are written the same way, as rows×1 float64 (labels 0…c−1, mask 1 = clean).
/// The folder also holds manifest.json: the data set's description, the preset, the sizes and the file names.
/// </summary>
public static class PeerData
{
    /// <summary>The 8-byte magic that opens every file.</summary>
    public const string Magic = "PBGDMAT1";

    /// <summary>The files of one split, in the order written.</summary>
    public static readonly string[] Files =
        ["x_train", "y_train", "labels_train", "clean", "x_val", "y_val", "x_test", "labels_test"];

    /// <summary>Writes the split into <paramref name="directory"/> (created if needed).</summary>
    public static void Export(Pbgd.Data.PreparedDataset data, string preset, string directory)
    {
        ArgumentNullException.ThrowIfNull(data);
        Directory.CreateDirectory(directory);
        Write(Path.Combine(directory, "x_train.f64"), data.XTrain);
        Write(Path.Combine(directory, "y_train.f64"), data.YTrain);
        Write(Path.Combine(directory, "labels_train.f64"), Column(data.TrainLabels.Select(l => (double)l)));
        Write(Path.Combine(directory, "clean.f64"), Column((data.CleanMask ?? throw new ArgumentException("the split has no clean mask.", nameof(data)))
            .Select(c => c ? 1.0 : 0.0)));
        Write(Path.Combine(directory, "x_val.f64"), data.XValidation);
        Write(Path.Combine(directory, "y_val.f64"), data.YValidation);
        Write(Path.Combine(directory, "x_test.f64"), data.XTest);
        Write(Path.Combine(directory, "labels_test.f64"), Column(data.TestLabels.Select(l => (double)l)));
        var manifest = new Dictionary<string, object>
        {
            ["format"] = "PBGDMAT1: 8-byte magic, int32 rows, int32 columns (little-endian), then float64 row-major",
            ["preset"] = preset,
            ["description"] = data.Description,
            ["train"] = data.XTrain.Rows,
            ["validation"] = data.XValidation.Rows,
            ["test"] = data.XTest.Rows,
            ["features"] = data.XTrain.Columns,
            ["classes"] = data.ClassCount,
            ["files"] = Files.Select(f => f + ".f64").ToArray(),
        };
        File.WriteAllText(Path.Combine(directory, "manifest.json"), JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Writes one matrix in the PBGDMAT1 format.</summary>
    public static void Write(string path, Matrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> header = stackalloc byte[16];
        System.Text.Encoding.ASCII.GetBytes(Magic, header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], matrix.Rows);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], matrix.Columns);
        stream.Write(header);
        var buffer = new byte[8 * 4096];
        var values = matrix.Span;
        for (int start = 0; start < values.Length; start += 4096)
        {
            int count = Math.Min(4096, values.Length - start);
            for (int i = 0; i < count; i++) BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(8 * i), values[start + i]);
            stream.Write(buffer, 0, 8 * count);
        }
    }

    /// <summary>Reads a PBGDMAT1 file (the peers write their final iterates in it).</summary>
    public static Matrix Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 16 || System.Text.Encoding.ASCII.GetString(bytes, 0, 8) != Magic)
            throw new InvalidDataException($"{path} is not a {Magic} file.");
        int rows = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)), columns = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        if (rows < 0 || columns < 0 || bytes.Length != 16 + 8L * rows * columns)
            throw new InvalidDataException($"{path}: header says {rows}×{columns}, the file has {bytes.Length} bytes.");
        var data = new double[rows * columns];
        for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(16 + 8 * i));
        return new Matrix(rows, columns, data);
    }

    private static Matrix Column(IEnumerable<double> values)
    {
        var data = values.ToArray();
        return new Matrix(data.Length, 1, data);
    }
}
