namespace Pbgd.Data;

/// <summary>A data file is malformed. The message names the file, the line (text formats) or byte offset
/// (binary formats) and what was expected there.</summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file.</param>
    /// <param name="location">"line 12", "byte 16", …</param>
    /// <param name="problem">What was wrong and what was expected.</param>
    public DataFormatException(string path, string location, string problem)
        : base($"{path}, {location}: {problem}")
    {
        FilePath = path;
        Location = location;
        Problem = problem;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>Where in the file.</summary>
    public string Location { get; }

    /// <summary>What was wrong.</summary>
    public string Problem { get; }
}
