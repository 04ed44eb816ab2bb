using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>Reads a numeric matrix from CSV (one row per line; a first row with a non-numeric field is a header
/// and is skipped). Ragged rows and non-finite or non-numeric fields are reported with line and column.</summary>
public static class CsvMatrixReader
{
    /// <summary>Reads the matrix.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">Allocation limits; null for the defaults.</param>
    public static Matrix Read(string path, LoadLimits? limits = null)
    {
        // CsvHelper reports malformed CSV (e.g. a stray quote) with its own exceptions, some only when a record is
        // read; users get the documented one, with the line.
        try
        {
            return ReadCore(path, limits);
        }
        catch (CsvHelperException e)
        {
            throw new DataFormatException(path, $"line {e.Context?.Parser?.RawRow ?? 0}", $"malformed CSV ({e.GetType().Name})");
        }
    }

    private static Matrix ReadCore(string path, LoadLimits? limits = null)
    {
        limits ??= LoadLimits.Default;
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.", path);
        using var reader = new StreamReader(path);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false, TrimOptions = TrimOptions.Trim });
        var values = new List<double>();
        int columns = -1, rows = 0;
        while (parser.Read())
        {
            var record = parser.Record!;
            int line = parser.RawRow;
            if (record.Length == 1 && string.IsNullOrWhiteSpace(record[0])) continue;
            if (columns < 0)
            {
                columns = record.Length;
                if (columns > limits.MaxFeatures)
                    throw new DataFormatException(path, $"line {line}", $"{columns} columns exceed the limit of {limits.MaxFeatures}.");
                if (record.Any(f => !double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _))) continue; // header
            }
            if (record.Length != columns)
                throw new DataFormatException(path, $"line {line}", $"{record.Length} fields, but the first row has {columns}.");
            for (int j = 0; j < columns; j++)
            {
                if (!double.TryParse(record[j], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    throw new DataFormatException(path, $"line {line}, column {j + 1}", $"'{record[j]}' is not a finite number.");
                values.Add(v);
            }
            rows++;
            if (values.Count > limits.MaxValues) throw new DataFormatException(path, $"line {line}", $"more than {limits.MaxValues} values.");
        }
        if (rows == 0) throw new DataFormatException(path, "line 1", "no rows.");
        return new Matrix(rows, columns, values.ToArray());
    }
}
