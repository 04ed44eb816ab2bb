using System.Runtime.InteropServices;

namespace Pbgd.Native;

/// <summary>What a path names, asked of the kernel without opening it (opening a FIFO blocks until a writer comes).</summary>
internal enum FileKind
{
    /// <summary>Nothing by that name.</summary>
    Missing,
    /// <summary>A regular file.</summary>
    Regular,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A named pipe.</summary>
    Fifo,
    /// <summary>A character device (/dev/zero, a terminal).</summary>
    CharacterDevice,
    /// <summary>A block device.</summary>
    BlockDevice,
    /// <summary>A socket.</summary>
    Socket,
    /// <summary>Symbolic links that loop (or nest too deep).</summary>
    LinkLoop,
    /// <summary>A folder on the way cannot be searched (permission denied).</summary>
    NoAccess,
    /// <summary>Anything else statx could not answer.</summary>
    Unknown,
}

/// <summary>The kind of file a path names, through glibc's statx (its struct has one layout on every architecture).</summary>
internal static partial class FileKinds
{
    private const int AtFdCwd = -100, StatxType = 1, ENOENT = 2, ENOTDIR = 20, EACCES = 13, ELOOP = 40;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    /// <summary>The kind of <paramref name="path"/>, symbolic links followed.</summary>
    internal static unsafe FileKind Of(string path)
    {
        if (!OperatingSystem.IsLinux()) return File.Exists(path) ? FileKind.Regular : System.IO.Directory.Exists(path) ? FileKind.Directory : FileKind.Missing;
        byte* buffer = stackalloc byte[256];
        int result;
        try { result = Statx(AtFdCwd, path, 0, StatxType, buffer); }
        catch (EntryPointNotFoundException) { return File.Exists(path) ? FileKind.Regular : System.IO.Directory.Exists(path) ? FileKind.Directory : FileKind.Missing; }
        if (result != 0)
            return Marshal.GetLastPInvokeError() switch
            {
                ENOENT or ENOTDIR => FileKind.Missing,
                ELOOP => FileKind.LinkLoop,
                EACCES => FileKind.NoAccess,
                _ => FileKind.Unknown,
            };
        ushort mode = *(ushort*)(buffer + 28); // stx_mode
        return (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Unknown,
        };
    }
}
