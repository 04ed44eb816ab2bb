using System.Globalization;
using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>
/// Reads LIBSVM/svmlight text (<c>label index:value …</c>, 1-based indices, <c>#</c> comments, <c>qid:</c>
/// ignored) line by line and densifies it. The dense size is checked against <see cref="LoadLimits"/> before it
/// is allocated, and every feature index as it is read.
/// </summary>
public static class LibsvmReader
{
    /// <summary>Reads a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="labelMap">The training file's map when reading a test file; null to build one.</param>
    /// <param name="minimumFeatures">Pad to at least this many features (a test file may use fewer).</param>
    /// <param name="limits">Allocation limits; null for the defaults.</param>
    public static (LabeledData Data, LabelMap Map) Read(string path, LabelMap? labelMap = null, int minimumFeatures = 0, LoadLimits? limits = null)
    {
        limits ??= LoadLimits.Default;
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.", path);
        var rows = new List<(int[] Index, double[] Value)>();
        var rawLabels = new List<long>();
        var lines = new List<int>();
        int maxIndex = minimumFeatures, lineNumber = 0;
        long stored = 0;
        using var reader = new StreamReader(path);
        var indices = new List<int>();
        var values = new List<double>();
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            lineNumber++;
            var text = line.AsSpan();
            int hash = text.IndexOf('#');
            if (hash >= 0) text = text[..hash];
            text = text.Trim();
            if (text.IsEmpty) continue;
            indices.Clear();
            values.Clear();
            int token = 0;
            foreach (var range in text.SplitAny(" \t"))
            {
                var part = text[range];
                if (part.IsEmpty) continue;
                if (token++ == 0)
                {
                    if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double label) || label != Math.Floor(label) || Math.Abs(label) > 1e15)
                        throw new DataFormatException(path, $"line {lineNumber}", $"label '{part}' is not an integer class label.");
                    rawLabels.Add((long)label);
                    continue;
                }
                if (part.StartsWith("qid:")) continue;
                int colon = part.IndexOf(':');
                if (colon <= 0)
                    throw new DataFormatException(path, $"line {lineNumber}", $"'{part}' is not index:value.");
                if (!long.TryParse(part[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out long index) || index < 1)
                    throw new DataFormatException(path, $"line {lineNumber}", $"feature index '{part[..colon]}' is not a positive integer.");
                if (index > limits.MaxFeatures)
                    throw new DataFormatException(path, $"line {lineNumber}", $"feature index {index} exceeds the limit of {limits.MaxFeatures} features.");
                if (!double.TryParse(part[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                    throw new DataFormatException(path, $"line {lineNumber}", $"value '{part[(colon + 1)..]}' of feature {index} is not a number.");
                if (!double.IsFinite(value))
                    throw new DataFormatException(path, $"line {lineNumber}", $"value of feature {index} is {value}; values must be finite.");
                indices.Add((int)index - 1);
                values.Add(value);
                maxIndex = Math.Max(maxIndex, (int)index);
            }
            stored += indices.Count;
            if (stored > limits.MaxValues)
                throw new DataFormatException(path, $"line {lineNumber}", $"more than {limits.MaxValues} stored values.");
            rows.Add((indices.ToArray(), values.ToArray()));
            lines.Add(lineNumber);
        }
        if (rows.Count == 0) throw new DataFormatException(path, "line 1", "no samples.");
        if ((long)rows.Count * maxIndex > limits.MaxValues)
            throw new DataFormatException(path, $"line {lineNumber}",
                $"densifying {rows.Count} samples × {maxIndex} features exceeds the limit of {limits.MaxValues} values.");
        var map = labelMap ?? new LabelMap(rawLabels);
        var x = new Matrix(rows.Count, maxIndex);
        var labels = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            labels[i] = map.IndexOf(rawLabels[i]);
            if (labels[i] < 0)
                throw new DataFormatException(path, $"line {lines[i]}", $"label {rawLabels[i]} does not occur in the training file.");
            var (idx, val) = rows[i];
            for (int k = 0; k < idx.Length; k++) x[i, idx[k]] = val[k];
        }
        if (map.Values.Count > limits.MaxClasses)
            throw new DataFormatException(path, "labels", $"{map.Values.Count} classes exceed the limit of {limits.MaxClasses}.");
        return (new LabeledData(x, labels, map.Values.Count, path).Validated(), map);
    }
}
