using System.Globalization;

namespace Pbgd.Data;

/// The parts of a LIBSVM line that <see cref="LibsvmReader"/> and a data-parallel run's <see cref="LibsvmShare"/> read
/// alike, so both refuse the same text with the same words.
internal static class LibsvmTokens
{
    /// The line without its comment and surrounding blanks.
    internal static ReadOnlySpan<char> Content(ReadOnlySpan<char> line)
    {
        int hash = line.IndexOf('#');
        return (hash >= 0 ? line[..hash] : line).Trim();
    }

    /// A line's first field: a finite number.
    internal static double Target(string path, long lineNumber, ReadOnlySpan<char> part)
    {
        if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double target) || !double.IsFinite(target))
            throw DataFormatException.AtLine(path, lineNumber, $"label '{part}' is not a finite number.");
        return target;
    }

    /// The 1-based index of an <c>index:value</c> field, within the limits; <paramref name="colon"/> is where its value starts − 1.
    internal static long Index(string path, long lineNumber, ReadOnlySpan<char> part, LoadLimits limits, out int colon)
    {
        colon = part.IndexOf(':');
        if (colon <= 0)
            throw DataFormatException.AtLine(path, lineNumber, $"'{part}' is not index:value.");
        if (!long.TryParse(part[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out long index) || index < 1)
            throw DataFormatException.AtLine(path, lineNumber, $"feature index '{part[..colon]}' is not a positive integer.");
        if (index > limits.MaxFeatures)
            throw DataFormatException.AtLine(path, lineNumber, $"feature index {index} exceeds the limit of {limits.MaxFeatures} features.");
        return index;
    }

    /// The value of an <c>index:value</c> field whose colon is at <paramref name="colon"/>: a finite number.
    internal static double Value(string path, long lineNumber, ReadOnlySpan<char> part, int colon, long index)
    {
        if (!double.TryParse(part[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw DataFormatException.AtLine(path, lineNumber, $"value '{part[(colon + 1)..]}' of feature {index} is not a number.");
        if (!double.IsFinite(value))
            throw DataFormatException.AtLine(path, lineNumber, $"value of feature {index} is {value}; values must be finite.");
        return value;
    }
}
