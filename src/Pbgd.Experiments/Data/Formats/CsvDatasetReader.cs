using System.Globalization;

namespace Pbgd.Data;

/// <summary>
/// Reads a numeric CSV data set with CsvHelper's streaming parser: one sample per row, a label column chosen by
/// name (needs a header) or index (negative counts from the end), all other columns features. Ragged rows,
/// non-numeric fields, NaN/Inf values and non-integer labels are reported with their line and column.
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
        limits ??= LoadLimits.Default;
        ArgumentNullException.ThrowIfNull(labelColumn);
        var values = new List<double>();
        var rawLabels = new List<long>();
        var lineOf = new List<long>();
        int columns = 0, labelIndex = -1;
        CsvNumericRows.Read(path, hasHeader, limits.MaxFeatures + 1, limits,
            (count, header, line) =>
            {
                columns = count;
                labelIndex = ResolveLabelColumn(path, line, labelColumn, header, count);
            },
            (line, fields) =>
            {
                double label = fields[labelIndex];
                if (label != Math.Floor(label) || Math.Abs(label) > 1e15)
                    throw DataFormatException.AtLine(path, line,
                        $"label {label.ToString(CultureInfo.InvariantCulture)} is not an integer class label.", labelIndex + 1);
                if (values.Count + (long)fields.Length - 1 > limits.MaxValues)
                    throw DataFormatException.AtLine(path, line, $"more than {limits.MaxValues} values.");
                values.AddRange(fields[..labelIndex]);
                values.AddRange(fields[(labelIndex + 1)..]);
                rawLabels.Add((long)label);
                lineOf.Add(line);
            });
        var map = labelMap ?? new LabelMap(rawLabels);
        if (map.Values.Count > limits.MaxClasses)
            throw new DataFormatException(path, "labels", $"{map.Values.Count} classes exceed the limit of {limits.MaxClasses}.");
        var labels = new int[rawLabels.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = map.IndexOf(rawLabels[i]);
            if (labels[i] < 0)
                throw DataFormatException.AtLine(path, lineOf[i], $"label {rawLabels[i]} does not occur in the training file.", labelIndex + 1);
        }
        var x = new Linalg.Matrix(labels.Length, columns - 1, values.ToArray());
        return (new LabeledData(x, labels, map.Values.Count, path).Validated(), map);
    }

    private static int ResolveLabelColumn(string path, long line, string labelColumn, string[]? header, int columns)
    {
        if (int.TryParse(labelColumn, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
        {
            int resolved = index < 0 ? columns + index : index;
            if (resolved < 0 || resolved >= columns)
                throw new ArgumentException($"label column {index} is outside the {columns} columns of {path}.", nameof(labelColumn));
            return resolved;
        }
        if (header is null)
            throw DataFormatException.AtLine(path, line, $"the label column is named '{labelColumn}' but the file has no header row.");
        int named = Array.FindIndex(header, h => string.Equals(h, labelColumn, StringComparison.OrdinalIgnoreCase));
        if (named < 0)
            throw DataFormatException.AtLine(path, line, $"no column named '{labelColumn}' in the header ({string.Join(", ", header)}).");
        return named;
    }
}
