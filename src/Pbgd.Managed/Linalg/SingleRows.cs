using System.Runtime.Intrinsics;

namespace Pbgd.Linalg;

/// <summary>
/// A data matrix (rows×columns, row-major) kept in single precision only, 64-byte aligned: the float-only storage mode
/// (<c>DataPrecision.SingleOnly</c>), half the memory of the double matrix. The problems built on it compute in double
/// wherever their double path does, on the float values widened exactly, so they solve the problem of the data rounded
/// to float.
/// </summary>
public sealed class SingleRows
{
    private readonly float[] _storage;
    private readonly int _offset;

    /// <summary>Zeros, <paramref name="rows"/>×<paramref name="columns"/>.</summary>
    /// <param name="rows">Rows (≥ 0).</param>
    /// <param name="columns">Columns (≥ 0).</param>
    public SingleRows(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        (Rows, Columns) = (rows, columns);
        // Pinned and 64-byte aligned, as the kernels' buffers: their vector loads then never split a cache line.
        _storage = GC.AllocateArray<float>(checked(rows * columns) + 16, pinned: true);
        unsafe
        {
            fixed (float* p = _storage) _offset = (int)((64 - (long)p % 64) % 64 / sizeof(float));
        }
    }

    /// <summary>The matrix rounded to float (refused when a finite value does not fit in float).</summary>
    /// <param name="x">The double matrix.</param>
    /// <param name="name">Its name, for the message.</param>
    public static SingleRows From(Matrix x, string name = "x")
    {
        ArgumentNullException.ThrowIfNull(x);
        var rows = new SingleRows(x.Rows, x.Columns);
        var target = rows.Span;
        var source = x.Span;
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j + 16 <= source.Length; j += 16)
                Vector512.Narrow(Vector512.Create(source.Slice(j, 8)), Vector512.Create(source.Slice(j + 8, 8))).CopyTo(target.Slice(j, 16));
        for (; j < source.Length; j++) target[j] = (float)source[j];
        for (int i = 0; i < target.Length; i++)
            if (!float.IsFinite(target[i]) && double.IsFinite(x.Span[i]))
                throw new ArgumentException(FormattableString.Invariant(
                    $"{name}[{i / x.Columns}, {i % x.Columns}] = {x.Span[i]:G6} does not fit in single precision (|x| ≤ 3.4e38); use double precision."), name);
        return rows;
    }

    /// <summary>Rows.</summary>
    public int Rows { get; }

    /// <summary>Columns.</summary>
    public int Columns { get; }

    /// <summary>The values, row-major.</summary>
    public Span<float> Span => _storage.AsSpan(_offset, Rows * Columns);

    /// <summary>Row <paramref name="i"/>.</summary>
    /// <param name="i">0 … Rows − 1.</param>
    public Span<float> Row(int i) => _storage.AsSpan(_offset + i * Columns, Columns);

    /// <summary>Bytes held.</summary>
    public long Bytes => 4L * Rows * Columns;
}

