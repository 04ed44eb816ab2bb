using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>Reads a numeric matrix from CSV (one row per line; a first row with a non-numeric field is a header
/// and is skipped, unless <see cref="ReadOptions.HasHeader"/> says otherwise). Ragged rows and non-finite or non-numeric fields are reported with line and column.</summary>
public static class CsvMatrixReader
{
    /// <summary>Reads the matrix.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Whether there is a header (<see cref="ReadOptions.HasHeader"/>) and the limits; null for
    /// the defaults. The label fields do not apply.</param>
    public static Matrix Read(string path, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        options.Validate();
        var limits = options.Limits;
        var values = new List<double>();
        int columns = 0;
        int rows = CsvNumericRows.Read(path, options.HasHeader, limits.MaxFeatures, limits,
            (count, _, _) => columns = count,
            (line, fields) =>
            {
                if (values.Count + (long)fields.Length > limits.MaxValues)
                    throw DataFormatException.AtLine(path, line, $"more than {limits.MaxValues} values.");
                values.AddRange(fields);
            });
        return new Matrix(rows, columns, values.ToArray());
    }
}
