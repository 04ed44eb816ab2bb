using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Pbgd.Data;

/// <summary>
/// Reads a numeric CSV data set with CsvHelper's streaming parser: one sample per row, a label column chosen by
/// name (needs a header) or index (negative counts from the end), all other columns features. Ragged rows,
/// non-numeric fields and NaN/Inf values are reported with their line and column.
/// </summary>
public static class CsvDatasetReader
{
    /// <summary>Reads a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="labelColumn">A header name, or an index (0-based; −1 = last column).</param>
    /// <param name="hasHeader">Whether the first row is a header; null to detect (a header has a non-numeric field).</param>
    /// <param name="labelMap">The training file's map when reading a test file; null to build one.</param>
    /// <param name="limits">Allocation limits; null for the defaults.</param>
    public static (LabeledData Data, LabelMap Map) Read(string path, string labelColumn = "-1", bool? hasHeader = null,
        LabelMap? labelMap = null, LoadLimits? limits = null)
    {
        // CsvHelper reports malformed CSV (e.g. a stray quote) with its own exceptions, some only when a record is
        // read; users get the documented one, with the line.
        try
        {
            return ReadCore(path, labelColumn, hasHeader, labelMap, limits);
        }
        catch (CsvHelperException e)
        {
            throw new DataFormatException(path, $"line {e.Context?.Parser?.RawRow ?? 0}", $"malformed CSV ({e.GetType().Name})");
        }
    }

    private static (LabeledData Data, LabelMap Map) ReadCore(string path, string labelColumn = "-1", bool? hasHeader = null,
        LabelMap? labelMap = null, LoadLimits? limits = null)
    {
        limits ??= LoadLimits.Default;
        ArgumentNullException.ThrowIfNull(labelColumn);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.", path);
        using var reader = new StreamReader(path);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false, TrimOptions = TrimOptions.Trim };
        using var parser = new CsvParser(reader, config);
        var values = new List<double>();
        var rawLabels = new List<long>();
        var lineOf = new List<int>();
        int columns = -1, labelIndex = -1;
        bool first = true;
        while (parser.Read())
        {
            var record = parser.Record!;
            int line = parser.RawRow;
            if (record.Length == 1 && string.IsNullOrWhiteSpace(record[0])) continue;
            if (first)
            {
                first = false;
                columns = record.Length;
                if (columns > limits.MaxFeatures + 1)
                    throw new DataFormatException(path, $"line {line}", $"{columns} columns exceed the limit of {limits.MaxFeatures} features.");
                bool header = hasHeader ?? record.Any(f => !double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
                labelIndex = ResolveLabelColumn(path, line, labelColumn, header ? record : null, columns);
                if (header) continue;
            }
            if (record.Length != columns)
                throw new DataFormatException(path, $"line {line}", $"{record.Length} fields, but the first row has {columns}.");
            for (int j = 0; j < columns; j++)
            {
                if (!double.TryParse(record[j], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    throw new DataFormatException(path, $"line {line}, column {j + 1}", $"'{record[j]}' is not a number.");
                if (!double.IsFinite(v))
                    throw new DataFormatException(path, $"line {line}, column {j + 1}", $"{record[j]} is not a finite number.");
                if (j == labelIndex)
                {
                    if (v != Math.Floor(v) || Math.Abs(v) > 1e15)
                        throw new DataFormatException(path, $"line {line}, column {j + 1}", $"label {record[j]} is not an integer class label.");
                    rawLabels.Add((long)v);
                }
                else values.Add(v);
            }
            lineOf.Add(line);
            if (values.Count > limits.MaxValues)
                throw new DataFormatException(path, $"line {line}", $"more than {limits.MaxValues} values.");
        }
        if (rawLabels.Count == 0) throw new DataFormatException(path, "line 1", "no samples.");
        var map = labelMap ?? new LabelMap(rawLabels);
        var labels = new int[rawLabels.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = map.IndexOf(rawLabels[i]);
            if (labels[i] < 0) throw new DataFormatException(path, $"line {lineOf[i]}", $"label {rawLabels[i]} does not occur in the training file.");
        }
        if (map.Values.Count > limits.MaxClasses)
            throw new DataFormatException(path, "labels", $"{map.Values.Count} classes exceed the limit of {limits.MaxClasses}.");
        var x = new Linalg.Matrix(labels.Length, columns - 1, values.ToArray());
        return (new LabeledData(x, labels, map.Values.Count, path).Validated(), map);
    }

    private static int ResolveLabelColumn(string path, int line, string labelColumn, string[]? header, int columns)
    {
        if (int.TryParse(labelColumn, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
        {
            int resolved = index < 0 ? columns + index : index;
            if (resolved < 0 || resolved >= columns)
                throw new ArgumentException($"label column {index} is outside the {columns} columns of {path}.", nameof(labelColumn));
            return resolved;
        }
        if (header is null)
            throw new DataFormatException(path, $"line {line}", $"the label column is named '{labelColumn}' but the file has no header row.");
        int named = Array.FindIndex(header, h => string.Equals(h, labelColumn, StringComparison.OrdinalIgnoreCase));
        if (named < 0)
            throw new DataFormatException(path, $"line {line}", $"no column named '{labelColumn}' in the header ({string.Join(", ", header)}).");
        return named;
    }
}
