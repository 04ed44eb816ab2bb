namespace Pbgd.Data;

/// <summary>A data file is malformed. The message names the file, the line (text formats) or byte offset
/// (binary formats) and what was expected there; the same facts are available as properties so that callers
/// can report them without parsing the message.</summary>
/// <remarks>The natural base, <see cref="InvalidDataException"/>, is sealed; <see cref="FormatException"/> is
/// the framework's next "input is not in the expected form" exception (the CLI maps both to its data-error exit
/// code). Corrupt gzip data surfaces as this type too, with the decompressed offset.</remarks>
public sealed class DataFormatException : FormatException
{
    /// <summary>Creates the exception for a location that is neither a line nor a byte (e.g. "labels").</summary>
    /// <param name="path">The file.</param>
    /// <param name="location">"line 12", "byte 16", "labels", …</param>
    /// <param name="problem">What was wrong and what was expected.</param>
    public DataFormatException(string path, string location, string problem)
        : base($"{path}, {location}: {problem}")
    {
        FilePath = path;
        Location = location;
        Problem = problem;
    }

    private DataFormatException(string path, string location, string problem, long? line, int? column, long? byteOffset)
        : this(path, location, problem)
    {
        Line = line;
        Column = column;
        ByteOffset = byteOffset;
    }

    /// <summary>An error on a line of a text file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="line">1-based line number.</param>
    /// <param name="problem">What was wrong and what was expected.</param>
    /// <param name="column">1-based column (field) number, when one field is at fault.</param>
    public static DataFormatException AtLine(string path, long line, string problem, int? column = null) =>
        new(path, column is { } c ? $"line {line}, column {c}" : $"line {line}", problem, line, column, null);

    /// <summary>An error at a byte offset of a binary file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="offset">0-based offset; in the decompressed data when <paramref name="decompressed"/>.</param>
    /// <param name="problem">What was wrong and what was expected.</param>
    /// <param name="decompressed">Whether the offset counts decompressed bytes of a gzip file.</param>
    public static DataFormatException AtByte(string path, long offset, string problem, bool decompressed = false) =>
        new(path, decompressed ? $"byte {offset} (decompressed)" : $"byte {offset}", problem, null, null, offset);

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>Where in the file, as text ("line 3, column 2", "byte 16").</summary>
    public string Location { get; }

    /// <summary>What was wrong and what was expected.</summary>
    public string Problem { get; }

    /// <summary>1-based line of a text file, or null.</summary>
    public long? Line { get; }

    /// <summary>1-based column (field) of a text file, or null.</summary>
    public int? Column { get; }

    /// <summary>0-based byte offset of a binary file (of the decompressed data for gzip), or null.</summary>
    public long? ByteOffset { get; }
}
