namespace Pbgd.Checkpoints;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one, never a half-written one:
/// write to a temporary name beside it, flush to disk, then rename over the target.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> atomically; on any error the temporary file is removed.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="write">Writes the content to the stream.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Writes text atomically (UTF-8, no BOM).</summary>
    /// <param name="path">The target file.</param>
    /// <param name="writeText">Writes the content.</param>
    public static void WriteText(string path, Action<TextWriter> writeText)
    {
        ArgumentNullException.ThrowIfNull(writeText);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writeText(writer);
        });
    }
}
