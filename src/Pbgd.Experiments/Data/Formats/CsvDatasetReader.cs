using System.Globalization;
using Pbgd.Validation;

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
    /// <param name="options">The label column (<see cref="ReadOptions.LabelColumn"/>), whether there is a header,
    /// the training file's label map when reading a test file, and the limits; null for the defaults.</param>
    /// <exception cref="InvalidValueException">The label column is outside the file's columns (ParamName
    /// <c>LabelColumn</c>).</exception>
    public static (LabeledData Data, LabelMap Map) Read(string path, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        options.Validate();
        var limits = options.Limits;
        var values = new List<double>();
        var rawLabels = new List<long>();
        var lineOf = new List<long>();
        int columns = 0, labelIndex = -1;
        CsvNumericRows.Read(path, options.HasHeader, limits.MaxFeatures + 1, limits,
            (count, header, line) =>
            {
                columns = count;
                labelIndex = ResolveLabelColumn(path, line, options.LabelColumn, header, count);
            },
            (line, fields) =>
            {
                double label = fields[labelIndex];
                if (!LabelMap.IsClassLabel(label))
                    throw DataFormatException.AtLine(path, line,
                        $"label {label.ToString(CultureInfo.InvariantCulture)} is not an integer class label.", labelIndex + 1);
                if (values.Count + (long)fields.Length - 1 > limits.MaxValues)
                    throw DataFormatException.AtLine(path, line, $"more than {limits.MaxValues} values.");
                values.AddRange(fields[..labelIndex]);
                values.AddRange(fields[(labelIndex + 1)..]);
                rawLabels.Add((long)label);
                lineOf.Add(line);
            });
        var (labels, map) = LabelMap.Index(path, rawLabels, lineOf, options.LabelMap, limits.MaxClasses, labelIndex + 1);
        var x = new Linalg.Matrix(labels.Length, columns - 1, values.ToArray());
        return (new LabeledData(x, labels, map.Values.Count, path).Validated(), map);
    }

    /// <summary>
    /// A data-parallel run's reading of a CSV training file: a light pass (rows, columns and each row's label, no other
    /// field parsed), then <paramref name="take"/> receives, from a second pass, only the rows <paramref name="wants"/>
    /// selects (by data-row index), fully parsed: features without the label column, and the class. A malformed field is
    /// reported by the process that parses it, naming the file, the line and the column.
    /// </summary>
    /// <returns>The data rows, the feature count and the label map of the whole file.</returns>
    internal static (int Rows, int Features, LabelMap Map) ReadShare(string path, ReadOptions options, Func<int, bool> wants,
        Action<int, ReadOnlySpan<double>, int> take, Action<int, int, LabelMap>? outlined = null)
    {
        options.Validate();
        var limits = options.Limits;
        var rawLabels = new List<long>();
        var lineOf = new List<long>();
        int columns = 0, labelIndex = -1;
        void First(int count, string[]? header, long line)
        {
            columns = count;
            labelIndex = ResolveLabelColumn(path, line, options.LabelColumn, header, count);
        }
        CsvNumericRows.Read(path, options.HasHeader, limits.MaxFeatures + 1, limits, First,
            (line, fields) =>
            {
                double label = fields[labelIndex];
                if (!LabelMap.IsClassLabel(label))
                    throw DataFormatException.AtLine(path, line,
                        $"label {label.ToString(CultureInfo.InvariantCulture)} is not an integer class label.", labelIndex + 1);
                rawLabels.Add((long)label);
                lineOf.Add(line);
            }, _ => false, () => labelIndex);
        var (labels, map) = LabelMap.Index(path, rawLabels, lineOf, options.LabelMap, limits.MaxClasses, labelIndex + 1);
        outlined?.Invoke(labels.Length, columns - 1, map);
        var features = new double[columns - 1];
        int row = -1;
        CsvNumericRows.Read(path, options.HasHeader, limits.MaxFeatures + 1, limits, First,
            (line, fields) =>
            {
                row++;
                if (!wants(row)) return;
                fields[..labelIndex].CopyTo(features);
                fields[(labelIndex + 1)..].CopyTo(features.AsSpan(labelIndex));
                take(row, features, labels[row]);
            }, r => wants(r), () => labelIndex);
        return (labels.Length, columns - 1, map);
    }

    private static int ResolveLabelColumn(string path, long line, string labelColumn, string[]? header, int columns)
    {
        if (int.TryParse(labelColumn, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
        {
            int resolved = index < 0 ? columns + index : index;
            if (resolved < 0 || resolved >= columns)
                throw new InvalidValueException(nameof(ReadOptions.LabelColumn), $"label column {index} is outside the {columns} columns of {path}.");
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
