using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>Rows of a sparse text file as read (targets, index/value pairs, line numbers), to be densified once
/// the column count is known.</summary>
internal sealed class SparseRows(int minimumColumns)
{
    private readonly List<(int[] Index, double[] Value)> _rows = [];

    /// <summary>The first field of each row.</summary>
    public List<double> Targets { get; } = [];

    /// <summary>The line each row came from.</summary>
    public List<long> Lines { get; } = [];

    /// <summary>Rows so far.</summary>
    public int Count => _rows.Count;

    /// <summary>Columns so far: the largest index seen, or the minimum.</summary>
    public int Columns { get; private set; } = minimumColumns;

    /// <summary>Size of the dense matrix so far.</summary>
    public long DenseValues => (long)Count * Columns;

    /// <summary>Adds a row (0-based indices).</summary>
    public void Add(double target, List<int> indices, List<double> values, long line)
    {
        foreach (int j in indices) Columns = Math.Max(Columns, j + 1);
        _rows.Add((indices.ToArray(), values.ToArray()));
        Targets.Add(target);
        Lines.Add(line);
    }

    /// <summary>The dense N×m matrix.</summary>
    public Matrix Densify()
    {
        var x = new Matrix(Count, Columns);
        for (int i = 0; i < _rows.Count; i++)
        {
            var (idx, val) = _rows[i];
            var row = x.Row(i);
            for (int k = 0; k < idx.Length; k++) row[idx[k]] = val[k];
        }
        return x;
    }
}
