using Pbgd.Native;

namespace Pbgd.Data;

/// <summary>A path that cannot be used as asked: the path and the cause in words (the CLI's exit code 2).</summary>
public sealed class PathException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The path.</param>
    /// <param name="cause">What is wrong with it, in words ("is a directory").</param>
    /// <param name="inner">The system's exception, if any.</param>
    /// <param name="what">What the path is for (a flag such as "--out"), put before it in the message; may be null.</param>
    public PathException(string path, string cause, Exception? inner = null, string? what = null)
        : base(what is null ? $"{path}: {cause}" : $"{what} {path}: {cause}", inner)
    {
        Path = path;
        Cause = cause;
    }

    /// <summary>The path.</summary>
    public string Path { get; }

    /// <summary>The cause, in words.</summary>
    public string Cause { get; }
}

/// <summary>
/// Opens the files a run reads. Each is checked before it is opened: it must exist and be a regular file (a FIFO would
/// block the open until a writer comes, a device can be endless), and a failure is a <see cref="PathException"/> that
/// names the path and the cause in words rather than a system exception's type.
/// </summary>
public static class InputFiles
{
    /// <summary>Checks that <paramref name="path"/> names a regular file this process can open.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">Nothing by that name.</exception>
    /// <exception cref="PathException">Anything else that makes it unusable.</exception>
    public static void Check(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        switch (FileKinds.Of(path))
        {
            case FileKind.Regular: return;
            case FileKind.Missing: throw new FileNotFoundException($"{path}: no such file.", path);
            case FileKind.Directory: throw new PathException(path, "is a directory; a file was expected.");
            case FileKind.LinkLoop: throw new PathException(path, "symbolic links loop (too many levels of symbolic links); it names no file.");
            case FileKind.NoAccess: throw new PathException(path, "permission denied: a folder on the way cannot be searched.");
            case FileKind.Fifo: throw new PathException(path, "is a named pipe (FIFO), not a regular file; pbgd reads only regular files (copy the data to a file).");
            case FileKind.CharacterDevice or FileKind.BlockDevice: throw new PathException(path, "is a device, not a regular file; pbgd reads only regular files.");
            case FileKind.Socket: throw new PathException(path, "is a socket, not a regular file; pbgd reads only regular files.");
            default: throw new PathException(path, "is not a regular file; pbgd reads only regular files.");
        }
    }

    /// <summary>Checks the file (<see cref="Check"/>) and opens it for reading.</summary>
    /// <param name="path">The file.</param>
    /// <param name="bufferSize">The stream's buffer size.</param>
    public static FileStream OpenRead(string path, int bufferSize = 1 << 16)
    {
        Check(path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PathException(path, "permission denied: this user may not read it.", e);
        }
        catch (IOException e) when (e is not FileNotFoundException and not PathException)
        {
            throw new PathException(path, $"cannot be opened ({e.Message}).", e);
        }
    }

    /// <summary>A text reader over the checked file (UTF-8, byte order mark detected).</summary>
    /// <param name="path">The file.</param>
    public static StreamReader OpenText(string path) => new(OpenRead(path));

    /// <summary>The whole text of the checked file.</summary>
    /// <param name="path">The file.</param>
    public static string ReadAllText(string path)
    {
        using var reader = OpenText(path);
        try
        {
            return reader.ReadToEnd();
        }
        catch (IOException e)
        {
            throw new PathException(path, $"cannot be read ({e.Message}).", e);
        }
    }
}
