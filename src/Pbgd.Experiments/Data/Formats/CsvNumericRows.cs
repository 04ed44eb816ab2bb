using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Pbgd.Data;

/// <summary>Receives one data row of a numeric CSV file.</summary>
/// <param name="line">1-based line the row ends on.</param>
/// <param name="fields">The row's values, all finite.</param>
internal delegate void CsvRowHandler(long line, ReadOnlySpan<double> fields);

/// <summary>
/// Streams a numeric CSV file through CsvHelper's parser (which reads a buffer at a time, never the whole file):
/// an optional header row, then rows that must all have the first row's field count and hold only finite numbers.
/// Every problem — ragged row, non-numeric field, NaN/Inf, CsvHelper's own malformed-quote errors — becomes a
/// <see cref="DataFormatException"/> with the line and, for a field, its 1-based column.
/// </summary>
internal static class CsvNumericRows
{
    /// <summary>Reads the file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="hasHeader">Whether the first row is a header; null to detect it (a non-numeric field).</param>
    /// <param name="maxColumns">Most fields a row may have.</param>
    /// <param name="limits">Line-length limit.</param>
    /// <param name="onFirstRow">Called once with the column count, the header (or null) and its line.</param>
    /// <param name="onRow">Called for every data row.</param>
    /// <returns>Number of data rows.</returns>
    public static int Read(string path, bool? hasHeader, int maxColumns, LoadLimits limits,
        Action<int, string[]?, long> onFirstRow, CsvRowHandler onRow)
    {
        using var reader = InputFiles.OpenText(path);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            TrimOptions = TrimOptions.Trim,
            // A field (or an unterminated quote) longer than this is an error, not an unbounded buffer.
            MaxFieldSize = limits.MaxLineLength,
        };
        using var parser = new CsvParser(reader, config);
        int columns = -1, rows = 0;
        long lastLine = 0; // the last line of the last record read
        double[] values = [];
        try
        {
            while (parser.Read())
            {
                var record = parser.Record!;
                long line = parser.RawRow;
                lastLine = line;
                if (record.Length == 1 && string.IsNullOrWhiteSpace(record[0])) continue;
                if (columns < 0)
                {
                    columns = record.Length;
                    if (columns > maxColumns)
                        throw DataFormatException.AtLine(path, line, $"{columns} columns exceed the limit of {maxColumns}.");
                    values = new double[columns];
                    bool header = hasHeader ?? record.Any(f => !TryParse(f, out _));
                    onFirstRow(columns, header ? record : null, line);
                    if (header) continue;
                }
                // The column named is the first missing or first extra field.
                if (record.Length != columns)
                    throw DataFormatException.AtLine(path, line, $"{record.Length} fields, but the first row has {columns}.",
                        Math.Min(record.Length, columns) + 1);
                for (int j = 0; j < columns; j++)
                {
                    if (!TryParse(record[j], out double v))
                        throw DataFormatException.AtLine(path, line, $"'{Shorten(record[j])}' is not a number.", j + 1);
                    if (!double.IsFinite(v))
                        throw DataFormatException.AtLine(path, line, $"{record[j]} is not a finite number.", j + 1);
                    values[j] = v;
                }
                onRow(line, values);
                rows++;
            }
        }
        catch (CsvHelperException e)
        {
            // The parser fails where it gave up, often the end of the file for a quote never closed; the record it could
            // not read starts after the last one it did, and the first quote from there is the one to look at.
            long end = Math.Max(1, e.Context?.Parser?.RawRow ?? 1);
            throw FirstQuoteAfter(path, lastLine) is { } quote && quote <= end
                ? DataFormatException.AtLine(path, quote, $"malformed CSV: a quoted field opens on this line and is not closed properly (the parser gave up at line {end}).")
                : DataFormatException.AtLine(path, end, "malformed CSV: this row cannot be parsed.");
        }
        if (rows == 0) throw DataFormatException.AtLine(path, Math.Max(1, parser.RawRow), "no data rows.");
        return rows;
    }

    private static long? FirstQuoteAfter(string path, long line)
    {
        long number = 0;
        foreach (var text in File.ReadLines(path))
            if (++number > line && text.Contains('"', StringComparison.Ordinal)) return number;
        return null;
    }

    private static bool TryParse(string field, out double value) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static string Shorten(string field) => field.Length <= 40 ? field : field[..40] + "…";
}
