using System.Runtime.InteropServices;
using System.Text;
using Pbgd.Native.Interop;

namespace Pbgd.Native;

/// <summary>The MPI implementations whose application binary interface Pbgd knows.</summary>
public enum MpiImplementation
{
    /// <summary>Open MPI: handles are addresses of exported globals (<c>ompi_mpi_comm_world</c>, <c>ompi_mpi_double</c>, …).</summary>
    OpenMpi,
    /// <summary>MPICH and its ABI family (Intel MPI, MVAPICH): handles are 32-bit integer constants.</summary>
    Mpich,
}

/// <summary>
/// Finds and loads an MPI library (<c>libmpi</c>), records every attempt, and works out which implementation it is,
/// because MPI's handles differ between implementations: Open MPI's <c>MPI_COMM_WORLD</c>, <c>MPI_DOUBLE</c> and
/// <c>MPI_SUM</c> are the addresses of the exported globals <c>ompi_mpi_comm_world</c>, <c>ompi_mpi_double</c> and
/// <c>ompi_mpi_op_sum</c>; MPICH's are integer constants fixed by its ABI. The implementation is decided at load time
/// from the presence of Open MPI's globals, confirmed by <c>MPI_Get_library_version</c>.
/// </summary>
/// <remarks>
/// Search order: when <see cref="PathVariable"/> is set, that path is the only candidate; otherwise Open MPI's
/// <c>libmpi.so.40</c> on the loader path and in the multiarch library folder (<c>/usr/lib/x86_64-linux-gnu</c>), then
/// <c>libmpi.so</c>, then MPICH's <c>libmpich.so.12</c> and <c>libmpi.so.12</c>. The library is opened with
/// <c>RTLD_GLOBAL</c>: Open MPI loads its components as plug-ins that resolve symbols of <c>libmpi</c> itself.
/// </remarks>
public static unsafe class MpiLibrary
{
    /// <summary>The library name used by the P/Invoke declarations; resolved by this class.</summary>
    internal const string LibraryName = "mpi";

    /// <summary>Environment variable naming the full path of the MPI library (then the only candidate).</summary>
    public const string PathVariable = "PBGD_MPI_PATH";

    /// <summary>The command that installs Open MPI on Debian and Ubuntu.</summary>
    public const string InstallCommand = "bash native/install-deps.sh   (installs openmpi-bin libopenmpi-dev)";

    private const int RtldNow = 2, RtldGlobal = 0x100;

    private static readonly object Gate = new();
    private static readonly List<string> Trace = new();
    private static IntPtr _handle;
    private static string? _loadedPath;
    private static MpiImplementation _implementation;
    private static List<string>? _failures;

    // Handles of the loaded implementation.
    internal static nint CommWorld, Double, Int64, Byte, Int32, OpSum, OpMax, OpMin;
    internal static void* InPlace;
    internal static void* StatusIgnore;
    /// <summary>Bytes of one MPI_Request (a pointer in Open MPI, an int in MPICH).</summary>
    internal static int RequestSize;

    /// <summary>Whether an MPI library has been loaded in this process.</summary>
    public static bool IsLoaded => _handle != IntPtr.Zero;

    /// <summary>Tries to load an MPI library (once); false when no candidate loads (<see cref="LoadTrace"/> says why).</summary>
    public static bool TryLoad()
    {
        try
        {
            EnsureLoaded();
            return true;
        }
        catch (MpiNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Loads an MPI library now.</summary>
    /// <exception cref="MpiNotFoundException">No candidate could be loaded, or none is an implementation Pbgd knows; the
    /// message lists each attempt and the install command.</exception>
    public static void EnsureLoaded()
    {
        MklLibrary.EnsureResolver();
        Load();
    }

    /// <summary>The path (or name) of the MPI library that was loaded, loading it if needed.</summary>
    public static string LoadedPath
    {
        get { EnsureLoaded(); return _loadedPath!; }
    }

    /// <summary>Which implementation (ABI) the loaded library is, loading it if needed.</summary>
    public static MpiImplementation Implementation
    {
        get { EnsureLoaded(); return _implementation; }
    }

    /// <summary>Every load attempt and load-time decision, in order (readable after success or failure).</summary>
    public static IReadOnlyList<string> LoadTrace
    {
        get { lock (Gate) return Trace.ToArray(); }
    }

    /// <summary>The library's own description (<c>MPI_Get_library_version</c>, first line), e.g. "Open MPI v4.1.4, …".
    /// Callable before <c>MPI_Init</c>.</summary>
    public static string LibraryVersion
    {
        get
        {
            EnsureLoaded();
            return ReadLibraryVersion().Split('\n')[0].Trim();
        }
    }

    /// <summary>The MPI standard version the library implements (<c>MPI_Get_version</c>), e.g. "3.1".</summary>
    public static string StandardVersion
    {
        get
        {
            EnsureLoaded();
            int version, subversion;
            Mpi.Check(MpiInterop.GetVersion(&version, &subversion), "MPI_Get_version");
            return $"{version}.{subversion}";
        }
    }

    /// <summary>Whether this process was started by an MPI launcher (mpirun, mpiexec, srun), read from the
    /// environment the launchers set: Open MPI's <c>OMPI_COMM_WORLD_SIZE</c>, MPICH's and Slurm's <c>PMI_SIZE</c>.</summary>
    public static bool LaunchedByMpirun => LauncherSize is not null;

    /// <summary>The number of processes the launcher started (null when not started by one).</summary>
    public static int? LauncherSize =>
        int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") ?? Environment.GetEnvironmentVariable("PMI_SIZE"), out int size)
            ? size : null;

    /// <summary>This process's rank as the launcher announced it (null when not started by one).</summary>
    public static int? LauncherRank =>
        int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_RANK") ?? Environment.GetEnvironmentVariable("PMI_RANK"), out int rank)
            ? rank : null;

    internal static IntPtr ResolveForImport()
    {
        Load();
        return _handle;
    }

    private static void Load()
    {
        if (_handle != IntPtr.Zero) return;
        lock (Gate)
        {
            if (_handle != IntPtr.Zero) return;
            if (_failures is not null) throw new MpiNotFoundException(_failures);
            var attempts = new List<string>();
            foreach (var candidate in Candidates())
            {
                var handle = Open(candidate, out string? error);
                if (handle == IntPtr.Zero)
                {
                    attempts.Add($"{candidate}: {error}");
                    Trace.Add($"failed {candidate}: {error}");
                    continue;
                }
                Trace.Add($"loaded {candidate} (RTLD_GLOBAL)");
                if (!Identify(handle, candidate, attempts)) continue;
                _loadedPath = candidate;
                _handle = handle;
                return;
            }
            _failures = attempts;
            throw new MpiNotFoundException(attempts);
        }
    }

    private static IEnumerable<string> Candidates()
    {
        var explicitPath = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(explicitPath))
        {
            Trace.Add($"{PathVariable} is set: it is the only candidate");
            yield return explicitPath;
            yield break;
        }
        string multiarch = Path.Combine("/usr/lib", RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.Arm64 => "aarch64-linux-gnu",
            _ => "x86_64-linux-gnu",
        });
        yield return "libmpi.so.40";
        yield return Path.Combine(multiarch, "libmpi.so.40");
        yield return "libmpi.so";
        yield return "libmpich.so.12";
        yield return Path.Combine(multiarch, "libmpich.so.12");
        yield return "libmpi.so.12";
    }

    // dlopen with RTLD_GLOBAL (NativeLibrary.Load opens RTLD_LOCAL, which leaves Open MPI's plug-ins without libmpi's symbols).
    private static IntPtr Open(string path, out string? error)
    {
        error = null;
        if (!OperatingSystem.IsLinux())
        {
            error = "MPI support is implemented for Linux only";
            return IntPtr.Zero;
        }
        byte[] name = Encoding.UTF8.GetBytes(path + "\0");
        IntPtr handle;
        fixed (byte* p = name) handle = DlOpen(p, RtldNow | RtldGlobal);
        if (handle == IntPtr.Zero)
        {
            byte* message = DlError();
            error = message is null ? "dlopen failed" : Marshal.PtrToStringUTF8((IntPtr)message);
        }
        return handle;
    }

    // Open MPI exports its predefined handles as globals; MPICH-ABI libraries do not, and say "MPICH" (or "Intel(R) MPI")
    // in their version string. Anything else is refused: guessing handles would corrupt memory.
    private static bool Identify(IntPtr handle, string candidate, List<string> attempts)
    {
        bool exported = NativeLibrary.TryGetExport(handle, "ompi_mpi_comm_world", out var world);
        var getVersion = (delegate* unmanaged<byte*, int*, int>)NativeLibrary.GetExport(handle, "MPI_Get_library_version");
        string version = ReadLibraryVersion(getVersion);
        string first = version.Split('\n')[0].Trim();
        if (exported)
        {
            _implementation = MpiImplementation.OpenMpi;
            CommWorld = world;
            Double = NativeLibrary.GetExport(handle, "ompi_mpi_double");
            Int64 = NativeLibrary.GetExport(handle, "ompi_mpi_int64_t");
            Int32 = NativeLibrary.GetExport(handle, "ompi_mpi_int");
            Byte = NativeLibrary.GetExport(handle, "ompi_mpi_byte");
            OpSum = NativeLibrary.GetExport(handle, "ompi_mpi_op_sum");
            OpMax = NativeLibrary.GetExport(handle, "ompi_mpi_op_max");
            OpMin = NativeLibrary.GetExport(handle, "ompi_mpi_op_min");
            InPlace = (void*)1;        // #define MPI_IN_PLACE ((void *) 1)
            StatusIgnore = null;       // #define MPI_STATUS_IGNORE ((MPI_Status *) 0)
            RequestSize = sizeof(nint);
            Trace.Add($"implementation: Open MPI (exports ompi_mpi_comm_world); {first}");
            return true;
        }
        if (version.Contains("MPICH", StringComparison.OrdinalIgnoreCase) || version.Contains("Intel(R) MPI", StringComparison.Ordinal))
        {
            _implementation = MpiImplementation.Mpich;
            // mpi.h of MPICH 3.x/4.x (the ABI shared by Intel MPI and MVAPICH).
            CommWorld = 0x44000000;
            Double = 0x4c00080b;
            Int64 = 0x4c00083a;        // MPI_INT64_T
            Int32 = 0x4c000405;        // MPI_INT
            Byte = 0x4c00010d;
            OpSum = 0x58000003;
            OpMax = 0x58000001;
            OpMin = 0x58000002;
            InPlace = (void*)-1;       // #define MPI_IN_PLACE (void *) -1
            StatusIgnore = (void*)1;   // #define MPI_STATUS_IGNORE (MPI_Status *)1
            RequestSize = sizeof(int);
            Trace.Add($"implementation: MPICH ABI (no ompi_ globals; version string names MPICH); {first}");
            return true;
        }
        string line = $"{candidate}: loaded, but neither Open MPI (no ompi_mpi_comm_world export) nor an MPICH-ABI library ('{first}'): its handles are unknown";
        attempts.Add(line);
        Trace.Add("refused " + line);
        return false;
    }

    private static string ReadLibraryVersion() =>
        ReadLibraryVersion((delegate* unmanaged<byte*, int*, int>)NativeLibrary.GetExport(_handle, "MPI_Get_library_version"));

    private static string ReadLibraryVersion(delegate* unmanaged<byte*, int*, int> getVersion)
    {
        // MPI_MAX_LIBRARY_VERSION_STRING is 256 in Open MPI and 8192 in MPICH.
        const int Size = 8192;
        byte* buffer = stackalloc byte[Size];
        new Span<byte>(buffer, Size).Clear();
        int length = 0;
        if (getVersion(buffer, &length) != 0) return "";
        length = Math.Clamp(length, 0, Size);
        var text = new ReadOnlySpan<byte>(buffer, length);
        int zero = text.IndexOf((byte)0);
        return Encoding.UTF8.GetString(zero >= 0 ? text[..zero] : text);
    }

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern IntPtr DlOpen(byte* file, int mode);

    [DllImport("libc", EntryPoint = "dlerror")]
    private static extern byte* DlError();
}
