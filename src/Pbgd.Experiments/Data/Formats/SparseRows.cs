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

    /// <summary>What the reader noticed but accepted (repeated indices), in words.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>The line whose index set <see cref="Columns"/> (0 while the minimum holds).</summary>
    public long WidestLine { get; private set; }

    /// <summary>The columns before <see cref="WidestLine"/> widened them.</summary>
    public int NarrowerColumns { get; private set; }

    /// <summary>Whether the dense size is too large because of the one line that widened every row (the rows before it
    /// were narrow, and at their width the count would fit) rather than because of the number of rows.</summary>
    /// <param name="maxValues">The limit.</param>
    public bool WidenedPastLimit(long maxValues) => Lines.Count > 0 && WidestLine != Lines[0] && (long)Count * Math.Max(1, NarrowerColumns) <= maxValues;

    /// <summary>Columns so far: the largest index seen, or the minimum.</summary>
    public int Columns { get; private set; } = minimumColumns;

    /// <summary>Size of the dense matrix so far.</summary>
    public long DenseValues => (long)Count * Columns;

    /// <summary>Adds a row (0-based indices).</summary>
    public void Add(double target, List<int> indices, List<double> values, long line)
    {
        foreach (int j in indices)
            if (j + 1 > Columns)
            {
                if (WidestLine != line) NarrowerColumns = Columns;
                Columns = j + 1;
                WidestLine = line;
            }
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
