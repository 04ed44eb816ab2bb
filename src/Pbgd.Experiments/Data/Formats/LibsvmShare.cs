using System.Globalization;

namespace Pbgd.Data;

/// <summary>
/// A data-parallel run's reading of a LIBSVM training file: a light first pass over every line (the sample count, each
/// label and the largest feature index — what every process must agree on, and what the split needs — without parsing
/// a single feature value), then a second pass that parses in full only the samples this process needs (its training
/// rows, and the validation and test rows when they come from the same file). A malformed value is therefore reported by
/// the process that reads it, naming the file and the line, exactly as <see cref="LibsvmReader"/> words it.
/// </summary>
internal static class LibsvmShare
{
    /// <summary>What the first pass learns.</summary>
    internal sealed record Outline(int Samples, int Columns, LabelMap Map);

    /// <summary>The light pass: samples, labels (mapped onto 0…C−1 ascending) and the largest feature index.</summary>
    internal static Outline Scan(string path, ReadOptions options)
    {
        options.Validate();
        var limits = options.Limits;
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.", path);
        var labels = new HashSet<long>();
        int samples = 0, columns = options.MinimumFeatures;
        using var reader = new BoundedLineReader(path, limits.MaxLineLength);
        while (reader.TryReadLine(out var line))
        {
            long lineNumber = reader.LineNumber;
            var text = LibsvmTokens.Content(line);
            if (text.IsEmpty) continue;
            bool first = true;
            foreach (var range in text.SplitAny(" \t"))
            {
                var part = text[range];
                if (part.IsEmpty) continue;
                if (first)
                {
                    first = false;
                    labels.Add(Label(path, lineNumber, part));
                    continue;
                }
                if (part.StartsWith("qid:")) continue;
                long index = LibsvmTokens.Index(path, lineNumber, part, limits, out _);
                columns = (int)Math.Max(columns, index);
            }
            samples++;
        }
        if (samples == 0) throw DataFormatException.AtLine(path, Math.Max(1, reader.LineNumber), "no samples.");
        if (labels.Count > limits.MaxClasses)
            throw new DataFormatException(path, "labels", $"{labels.Count} classes exceed the limit of {limits.MaxClasses}.");
        return new Outline(samples, columns, new LabelMap(labels));
    }

    /// <summary>The full pass over the samples <paramref name="wants"/> selects (by their index among the file's samples):
    /// each arrives densified to <paramref name="columns"/> features with its class under <paramref name="map"/>.</summary>
    internal static void Read(string path, ReadOptions options, LabelMap map, int columns, Func<int, bool> wants,
        Action<int, ReadOnlySpan<double>, int> take)
    {
        var limits = options.Limits;
        var dense = new double[columns];
        int sample = -1;
        using var reader = new BoundedLineReader(path, limits.MaxLineLength);
        while (reader.TryReadLine(out var line))
        {
            long lineNumber = reader.LineNumber;
            var text = LibsvmTokens.Content(line);
            if (text.IsEmpty) continue;
            sample++;
            if (!wants(sample)) continue;
            Array.Clear(dense);
            bool first = true;
            int label = -1;
            foreach (var range in text.SplitAny(" \t"))
            {
                var part = text[range];
                if (part.IsEmpty) continue;
                if (first)
                {
                    first = false;
                    label = map.IndexOf(Label(path, lineNumber, part));
                    continue;
                }
                if (part.StartsWith("qid:")) continue;
                long index = LibsvmTokens.Index(path, lineNumber, part, limits, out int colon);
                double value = LibsvmTokens.Value(path, lineNumber, part, colon, index);
                dense[index - 1] = value; // a repeated index keeps its last value, as LibsvmReader does
            }
            take(sample, dense, label);
        }
    }

    private static long Label(string path, long lineNumber, ReadOnlySpan<char> part)
    {
        double target = LibsvmTokens.Target(path, lineNumber, part);
        if (!LabelMap.IsClassLabel(target))
            throw DataFormatException.AtLine(path, lineNumber,
                $"label '{target.ToString(CultureInfo.InvariantCulture)}' is not an integer class label (read real targets with ReadTargets).");
        return (long)target;
    }
}
