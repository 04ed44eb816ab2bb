namespace Pbgd.Linalg;

/// <summary>
/// A dense, row-major matrix that owns its storage (element (i, j) at <c>i * Columns + j</c>). The storage is
/// exposed as spans so it can go straight to <see cref="Pbgd.Native.Blas"/> and <see cref="Pbgd.Native.Lapack"/>.
/// </summary>
public sealed class Matrix
{
    private readonly double[] _data;

    /// <summary>A zero-filled rows×columns matrix.</summary>
    /// <param name="rows">Number of rows (≥ 0).</param>
    /// <param name="columns">Number of columns (≥ 0).</param>
    public Matrix(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        Rows = rows;
        Columns = columns;
        _data = new double[checked(rows * columns)];
    }

    /// <summary>Wraps row-major data (not copied).</summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="columns">Number of columns.</param>
    /// <param name="data">rows·columns values, row-major.</param>
    public Matrix(int rows, int columns, double[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != (long)rows * columns)
            throw new ArgumentException($"data has {data.Length} elements; a {rows}×{columns} matrix needs {(long)rows * columns}.", nameof(data));
        Rows = rows;
        Columns = columns;
        _data = data;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns (also the leading dimension).</summary>
    public int Columns { get; }

    /// <summary>The row-major storage.</summary>
    public Span<double> Span => _data;

    /// <summary>The row-major storage as an array (shared, not copied).</summary>
    public double[] Data => _data;

    /// <summary>Element (i, j).</summary>
    public ref double this[int i, int j] => ref _data[i * Columns + j];

    /// <summary>Row i.</summary>
    /// <param name="i">Row index.</param>
    public Span<double> Row(int i) => _data.AsSpan(i * Columns, Columns);

    /// <summary>A deep copy.</summary>
    public Matrix Clone() => new(Rows, Columns, (double[])_data.Clone());

    /// <summary>Frobenius norm.</summary>
    public double FrobeniusNorm() => Pbgd.Native.Blas.Nrm2(_data);

    /// <inheritdoc />
    public override string ToString() => $"Matrix {Rows}×{Columns}";
}
