using System.Globalization;
using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>
/// Reads LIBSVM/svmlight text (<c>label index:value …</c>, 1-based indices, <c>#</c> comments, <c>qid:</c>
/// ignored) line by line and densifies it. The dense size N×m is checked against <see cref="LoadLimits"/> on
/// every line, so a line declaring feature 2 000 000 000 is a <see cref="DataFormatException"/> before anything
/// of that size exists; when it is exceeded, the line named is the one whose feature index made the rows that wide. A
/// repeated index on a line keeps its last value, and the data's <see cref="LabeledData.Notes"/> say so.
/// </summary>
public static class LibsvmReader
{
    /// <summary>Reads a classification file: integer labels mapped onto 0…C−1 (ascending).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">The training file's label map when reading a test file
    /// (<see cref="ReadOptions.LabelMap"/>), the features to pad to (<see cref="ReadOptions.MinimumFeatures"/>: a
    /// test file may use fewer) and the limits; null for the defaults. The CSV fields do not apply.</param>
    public static (LabeledData Data, LabelMap Map) Read(string path, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        var file = Parse(path, options);
        var raw = new long[file.Targets.Count];
        for (int i = 0; i < raw.Length; i++)
        {
            double label = file.Targets[i];
            if (!LabelMap.IsClassLabel(label))
                throw DataFormatException.AtLine(path, file.Lines[i],
                    $"label '{label.ToString(CultureInfo.InvariantCulture)}' is not an integer class label (read real targets with ReadTargets).");
            raw[i] = (long)label;
        }
        var (labels, map) = LabelMap.Index(path, raw, file.Lines, options.LabelMap, options.Limits.MaxClasses);
        return (new LabeledData(file.Densify(), labels, map.Values.Count, path).Validated() with { Notes = file.Notes }, map);
    }

    /// <summary>Reads a regression file: the first field of each line is a real target.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">The features to pad to (<see cref="ReadOptions.MinimumFeatures"/>) and the limits; null
    /// for the defaults. The label and CSV fields do not apply.</param>
    public static RegressionData ReadTargets(string path, ReadOptions? options = null)
    {
        var file = Parse(path, options ?? ReadOptions.Default);
        return new RegressionData(file.Densify(), file.Targets.ToArray(), path);
    }

    private static SparseRows Parse(string path, ReadOptions options)
    {
        options.Validate();
        var limits = options.Limits;
        var rows = new SparseRows(options.MinimumFeatures);
        var indices = new List<int>();
        var values = new List<double>();
        var seen = new HashSet<int>();
        long repeatedLines = 0;
        string? firstRepeat = null;
        using var reader = new BoundedLineReader(path, limits.MaxLineLength);
        while (reader.TryReadLine(out var line))
        {
            long lineNumber = reader.LineNumber;
            var text = LibsvmTokens.Content(line);
            if (text.IsEmpty) continue;
            indices.Clear();
            values.Clear();
            double target = double.NaN;
            bool first = true;
            foreach (var range in text.SplitAny(" \t"))
            {
                var part = text[range];
                if (part.IsEmpty) continue;
                if (first)
                {
                    first = false;
                    target = LibsvmTokens.Target(path, lineNumber, part);
                    continue;
                }
                if (part.StartsWith("qid:")) continue;
                long index = LibsvmTokens.Index(path, lineNumber, part, limits, out int colon);
                double value = LibsvmTokens.Value(path, lineNumber, part, colon, index);
                indices.Add((int)index - 1);
                values.Add(value);
            }
            seen.Clear();
            for (int k = 0; k < indices.Count; k++)
                if (!seen.Add(indices[k]))
                {
                    if (repeatedLines++ == 0)
                        firstRepeat = string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: feature {indices[k] + 1} appears more than once");
                    break;
                }
            rows.Add(target, indices, values, lineNumber);
            // Checked per line, so the sparse copy can never outgrow the dense matrix it is allowed to become. The
            // line to look at is the one whose index made the rows this wide, not the one that tipped the count.
            if (rows.DenseValues > limits.MaxValues)
                throw rows.WidenedPastLimit(limits.MaxValues)
                    ? DataFormatException.AtLine(path, rows.WidestLine,
                        $"feature index {rows.Columns} on this line makes every sample {rows.Columns} features wide: densifying {rows.Count} samples (by line {lineNumber}) × {rows.Columns} features exceeds the limit of {limits.MaxValues} values.")
                    : DataFormatException.AtLine(path, lineNumber,
                        $"densifying {rows.Count} samples × {rows.Columns} features exceeds the limit of {limits.MaxValues} values.");
        }
        if (repeatedLines > 0)
            rows.Notes.Add($"{path}: {firstRepeat}{(repeatedLines > 1 ? $", and {repeatedLines - 1} more line{(repeatedLines > 2 ? "s" : "")} repeat an index" : "")}; the last value given on a line is kept.");
        if (rows.Count == 0) throw DataFormatException.AtLine(path, Math.Max(1, reader.LineNumber), "no samples.");
        return rows;
    }
}
