using Pbgd.Data;
using Pbgd.Native;

namespace Pbgd.Reporting;

/// <summary>
/// A folder a run writes into (--out, --checkpoint): checked before any data is read, locked against a second writer,
/// and filled all or nothing. The files of a set are first written into a staging folder inside it; only when every
/// one is complete are they moved into place, summary.json last (and the previous summary.json removed first), so a
/// failure while writing (a full disk) leaves the previous set as it was, and a folder with summary.json holds a
/// complete set.
/// </summary>
public static class OutputFolder
{
    /// <summary>The lock file taken in an output folder while a run writes into it.</summary>
    public const string LockFileName = ".pbgd.lock";

    /// <summary>The file whose presence means a complete set.</summary>
    public const string Marker = "summary.json";

    /// <summary>Checks, without creating anything, that the folder is one this process can create or write in: it is a
    /// folder (or missing, under a folder it can write in). Called before any data is read.</summary>
    /// <param name="path">The folder.</param>
    /// <param name="what">What it is, for the message (e.g. "--out").</param>
    /// <exception cref="PathException">It is a file, or cannot be created or written.</exception>
    public static void Check(string path, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        switch (FileKinds.Of(full))
        {
            case FileKind.Directory: Probe(full, path, what); return;
            case FileKind.Missing: break;
            case FileKind.LinkLoop: throw new PathException(path, "symbolic links loop (too many levels of symbolic links).", what: what);
            case FileKind.NoAccess: throw new PathException(path, "permission denied: a folder on the way cannot be searched.", what: what);
            default: throw new PathException(path, "is a file, not a folder; name a folder (it is created if needed).", what: what);
        }
        // Missing: the nearest existing folder above must take a new entry.
        for (string? above = Path.GetDirectoryName(full); above is not null; above = Path.GetDirectoryName(above))
        {
            var kind = FileKinds.Of(above);
            if (kind == FileKind.Missing) continue;
            if (kind != FileKind.Directory) throw new PathException(path, $"{above} is not a folder, so this folder cannot be created.", what: what);
            Probe(above, path, what);
            return;
        }
    }

    /// <summary>Creates the folder (after <see cref="Check"/>).</summary>
    /// <param name="path">The folder.</param>
    /// <param name="what">What it is, for the message.</param>
    public static void Create(string path, string what)
    {
        try { Directory.CreateDirectory(path); }
        catch (UnauthorizedAccessException e) { throw new PathException(path, "permission denied: this folder cannot be created.", e, what); }
        catch (IOException e) { throw new PathException(path, $"this folder cannot be created ({e.Message}).", e, what); }
    }

    private static void Probe(string folder, string path, string what)
    {
        string probe = Path.Combine(folder, $".pbgd-probe-{Environment.ProcessId}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PathException(path, $"permission denied: {(folder == Path.GetFullPath(path) ? "this folder" : folder)} cannot be written in.", e, what);
        }
        catch (IOException e)
        {
            throw new PathException(path, $"{(folder == Path.GetFullPath(path) ? "this folder" : folder)} cannot be written in ({e.Message}).", e, what);
        }
    }

    /// <summary>Takes the folder's lock file for this process (released when it is disposed or the process ends, even
    /// by SIGKILL: it is an advisory lock of the kernel, not the file's existence).</summary>
    /// <param name="path">The folder (existing).</param>
    /// <param name="what">What it is, for the message.</param>
    /// <exception cref="PathException">Another process holds it.</exception>
    public static IDisposable Lock(string path, string what)
    {
        string file = Path.Combine(path, LockFileName);
        try
        {
            // FileShare.None is an exclusive flock(2) on Unix: a second process's open fails while this one lives.
            return new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new PathException(path, $"another pbgd run is writing into this folder (it holds {LockFileName}); wait for it, or choose another folder.", e, what);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PathException(path, $"permission denied for its lock file {LockFileName}.", e, what);
        }
    }

    /// <summary>Writes a set of files all or nothing: <paramref name="writeInto"/> fills a staging folder, whose files
    /// then replace those of <paramref name="path"/>, <see cref="Marker"/> last.</summary>
    /// <param name="path">The folder (existing).</param>
    /// <param name="writeInto">Writes every file of the set into the folder it is given.</param>
    /// <exception cref="PathException">A file could not be written (the folder's previous files are unchanged).</exception>
    public static void WriteSet(string path, Action<string> writeInto)
    {
        ArgumentNullException.ThrowIfNull(writeInto);
        string staging = Path.Combine(path, $".pbgd-staging-{Environment.ProcessId}");
        try
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            Directory.CreateDirectory(staging);
            writeInto(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(staging);
            throw new PathException(path, $"the outputs could not be written ({e.Message}); nothing was replaced: the folder holds its previous files, if any.", e);
        }
        var files = Directory.GetFiles(staging).Select(Path.GetFileName).OrderBy(n => n == Marker).ThenBy(n => n, StringComparer.Ordinal).ToArray();
        File.Delete(Path.Combine(path, Marker)); // from here until the end, the folder says "incomplete"
        foreach (var name in files) File.Move(Path.Combine(staging, name!), Path.Combine(path, name!), overwrite: true);
        TryDelete(staging);
    }

    /// <summary>Deletes a folder when it holds nothing but the files named (and nothing at all below it).</summary>
    /// <param name="path">The folder.</param>
    /// <param name="names">The files it may hold.</param>
    public static void RemoveIfOnly(string path, IReadOnlyCollection<string> names)
    {
        if (!Directory.Exists(path) || Directory.EnumerateDirectories(path).Any()) return;
        if (Directory.EnumerateFiles(path).Select(Path.GetFileName).All(n => names.Contains(n!))) TryDelete(path);
    }

    private static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
