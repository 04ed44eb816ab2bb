using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Pbgd.Native.Interop;

namespace Pbgd.Native;

/// <summary>
/// Finds and loads Intel MKL's single dynamic library (<c>libmkl_rt</c>), records every attempt, and exposes
/// MKL's runtime controls: version, threads, conditional numerical reproducibility and the kernel library
/// in use.
/// </summary>
/// <remarks>
/// Search order: when <see cref="PathVariable"/> is set, that path is the only candidate; otherwise
/// <c>libmkl_rt.so</c>, <c>libmkl_rt.so.2</c>, <c>libmkl_rt.so.1</c> on the loader path, then the
/// <c>runtimes/linux-x64/native</c> folder of an MKL.NET.linux-x64 package next to the application, then
/// <c>$MKLROOT/lib</c> and <c>$MKLROOT/lib/intel64</c>.
/// </remarks>
public static unsafe class MklLibrary
{
    /// <summary>The library name used by the P/Invoke declarations; resolved by this class.</summary>
    internal const string LibraryName = "mkl_rt";

    /// <summary>Environment variable naming the full path of <c>libmkl_rt.so</c> (then the only candidate).</summary>
    public const string PathVariable = "PBGD_MKL_PATH";

    /// <summary>Environment variable selecting a reproducibility branch by name (e.g. <c>AVX2</c>, <c>COMPATIBLE</c>).</summary>
    public const string ReproducibilityVariable = "PBGD_MKL_CBWR";

    private const int MklCbwrStrict = 0x10000;
    private const int MklCbwrAll = ~0;
    private const int MklThreadingSequential = 1;

    private static readonly object Gate = new();
    private static readonly List<string> Trace = new();
    private static bool _resolverRegistered;
    private static IntPtr _handle;
    private static string? _loadedPath;
    private static MklReproducibility? _requestedMode;
    private static bool _strict;

    /// <summary>
    /// Chooses MKL's conditional-numerical-reproducibility branch. MKL requires this before any other MKL
    /// call, so it is applied when the library is loaded; calling it afterwards throws.
    /// </summary>
    /// <param name="mode">The code branch to pin.</param>
    /// <param name="strict">Also request MKL's strict CNR mode (bitwise results independent of thread count
    /// for the routines that support it).</param>
    /// <exception cref="InvalidOperationException">MKL is already loaded.</exception>
    public static void Configure(MklReproducibility mode, bool strict = false)
    {
        lock (Gate)
        {
            if (_handle != IntPtr.Zero)
                throw new InvalidOperationException(
                    "MKL's reproducibility mode must be chosen before the first MKL call; MKL is already loaded.");
            _requestedMode = mode;
            _strict = strict;
        }
    }

    /// <summary>Whether MKL has been loaded in this process.</summary>
    public static bool IsLoaded => _handle != IntPtr.Zero;

    /// <summary>The path (or name) of the <c>libmkl_rt</c> that was loaded, loading it if needed.</summary>
    public static string LoadedPath
    {
        get { EnsureLoaded(); return _loadedPath!; }
    }

    /// <summary>Every load attempt and load-time decision, in order (readable after success or failure).</summary>
    public static IReadOnlyList<string> LoadTrace
    {
        get { lock (Gate) return Trace.ToArray(); }
    }

    /// <summary>Loads MKL now (it is otherwise loaded on the first call).</summary>
    /// <exception cref="MklNotFoundException">No candidate could be loaded; the message lists each attempt.</exception>
    public static void EnsureLoaded()
    {
        EnsureResolver();
        Load();
    }

    /// <summary>MKL's version string, e.g. "Intel(R) Math Kernel Library Version 2020.0.4 ...".</summary>
    public static string VersionString
    {
        get
        {
            EnsureLoaded();
            byte* buffer = stackalloc byte[256];
            new Span<byte>(buffer, 256).Clear();
            MklService.GetVersionString(buffer, 256);
            return Encoding.ASCII.GetString(buffer, new ReadOnlySpan<byte>(buffer, 256).IndexOf((byte)0) is var n and >= 0 ? n : 256).Trim();
        }
    }

    /// <summary>The number of threads MKL will use for its next parallel call.</summary>
    public static int MaxThreads
    {
        get { EnsureLoaded(); return MklService.GetMaxThreads(); }
    }

    /// <summary>Sets the number of threads MKL uses (process-wide).</summary>
    /// <param name="threads">At least 1.</param>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        EnsureLoaded();
        MklService.SetNumThreads(threads);
    }

    /// <summary>Whether MKL may use fewer threads than requested (must be off for reproducible runs).</summary>
    public static bool DynamicThreads
    {
        get { EnsureLoaded(); return MklService.GetDynamic() != 0; }
        set { EnsureLoaded(); MklService.SetDynamic(value ? 1 : 0); }
    }

    /// <summary>The reproducibility branch MKL reports as active (<c>MKL_CBWR_Get</c>), without the strict flag.</summary>
    public static MklReproducibility Reproducibility
    {
        get { EnsureLoaded(); return (MklReproducibility)(MklService.CbwrGet(MklCbwrAll) & ~MklCbwrStrict); }
    }

    /// <summary>
    /// The MKL libraries mapped into this process (kernel, threading and interface layers), read from
    /// <c>/proc/self/maps</c> after a small call that makes MKL dispatch to its CPU-specific kernels.
    /// Empty where the process map is not readable.
    /// </summary>
    public static IReadOnlyList<string> LoadedKernelLibraries()
    {
        EnsureLoaded();
        Span<double> a = stackalloc double[4] { 1, 2, 3, 4 };
        Span<double> c = stackalloc double[4];
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, 2, 2, 2, 1.0, a, 2, a, 2, 0.0, c, 2);
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return Array.Empty<string>();
        return File.ReadLines(maps)
            .Select(line => line.IndexOf('/') is var i and >= 0 ? line[i..] : null)
            .Where(path => path is not null && Path.GetFileName(path).StartsWith("libmkl_", StringComparison.Ordinal)
                           && !Path.GetFileName(path).StartsWith("libmkl_rt", StringComparison.Ordinal))
            .Select(path => path!)
            .Distinct()
            .ToArray();
    }

    /// <summary>Registers the resolver for this assembly's P/Invokes (idempotent; called by the interop classes).</summary>
    internal static void EnsureResolver()
    {
        if (_resolverRegistered) return;
        lock (Gate)
        {
            if (_resolverRegistered) return;
            NativeLibrary.SetDllImportResolver(typeof(MklLibrary).Assembly, Resolve);
            _resolverRegistered = true;
        }
    }

    // One resolver serves the assembly (the runtime allows one): MKL's name and MPI's (MpiLibrary).
    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == LibraryName ? Load() : libraryName == MpiLibrary.LibraryName ? MpiLibrary.ResolveForImport() : IntPtr.Zero;

    private static IntPtr Load()
    {
        if (_handle != IntPtr.Zero) return _handle;
        lock (Gate)
        {
            if (_handle != IntPtr.Zero) return _handle;
            var attempts = new List<string>();
            foreach (var candidate in Candidates())
            {
                try
                {
                    var handle = NativeLibrary.Load(candidate);
                    Trace.Add($"loaded {candidate}");
                    ConfigureAtLoad(handle);
                    _loadedPath = candidate;
                    _handle = handle;
                    return handle;
                }
                catch (DllNotFoundException e)
                {
                    var line = $"{candidate}: {e.Message}";
                    attempts.Add(line);
                    Trace.Add("failed " + line);
                }
            }
            throw new MklNotFoundException(attempts);
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
        yield return "libmkl_rt.so";
        yield return "libmkl_rt.so.2";
        yield return "libmkl_rt.so.1";
        yield return Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libmkl_rt.so");
        var root = Environment.GetEnvironmentVariable("MKLROOT");
        if (!string.IsNullOrEmpty(root))
        {
            yield return Path.Combine(root, "lib", "libmkl_rt.so");
            yield return Path.Combine(root, "lib", "intel64", "libmkl_rt.so");
        }
        else Trace.Add("MKLROOT is not set: skipped $MKLROOT/lib and $MKLROOT/lib/intel64");
    }

    // Runs before any P/Invoke can reach MKL: the CNR branch must be MKL's very first call, and the
    // threading layer must be fixed before MKL starts threads.
    private static void ConfigureAtLoad(IntPtr handle)
    {
        var mode = _requestedMode ?? ReproducibilityFromEnvironment();
        if (mode is { } m)
        {
            var set = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(handle, "MKL_CBWR_Set");
            int status = set((int)m | (_strict ? MklCbwrStrict : 0));
            if (status != 0 && _strict)
            {
                Trace.Add($"MKL_CBWR_Set({m}, strict) returned {status}; retrying without strict");
                status = set((int)m);
            }
            Trace.Add(status == 0 ? $"reproducibility branch set to {m}" : $"MKL_CBWR_Set({m}) failed with {status}");
            if (status != 0)
                throw new InvalidOperationException(status == -3
                    // MKL_CBWR_ERR_UNSUPPORTED_BRANCH: MKL 2020 accepts instruction-set branches only on Intel CPUs.
                    ? $"MKL refused reproducibility mode {m} (mkl_cbwr_set returned {status}: a branch this CPU does not support; MKL 2020 accepts only AUTO and COMPATIBLE on non-Intel CPUs)."
                    : $"MKL refused reproducibility mode {m} (mkl_cbwr_set returned {status}).");
        }

        // OpenMP workers spin for 200 ms after each parallel region by default; Pbgd interleaves short MKL calls
        // with its own kernel threads (Pbgd.Kernels), which those spinning workers would starve on a small
        // machine. The runtime reads KMP_BLOCKTIME when it starts its first team, i.e. after this point; a value
        // the user set wins (overwrite = 0). The managed Environment API does not reach the native environment.
        if (Environment.GetEnvironmentVariable("KMP_BLOCKTIME") is null && OperatingSystem.IsLinux())
        {
            int rc;
            fixed (byte* name = "KMP_BLOCKTIME\0"u8, value = "0\0"u8) rc = SetEnv(name, value, 0);
            Trace.Add(rc == 0 ? "KMP_BLOCKTIME=0 (OpenMP workers sleep between MKL calls)" : "setenv(KMP_BLOCKTIME) failed");
        }

        // MKL's default (Intel) threading layer needs libiomp5; without it the first BLAS call aborts the
        // process with an undefined symbol. Fall back to the sequential layer, and say so.
        if (Environment.GetEnvironmentVariable("MKL_THREADING_LAYER") is null
            && !NativeLibrary.TryLoad("libiomp5.so", out _))
        {
            var setLayer = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(handle, "MKL_Set_Threading_Layer");
            setLayer(MklThreadingSequential);
            Trace.Add("libiomp5.so not found: using MKL's sequential threading layer (install libomp-dev for threads)");
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv(byte* name, byte* value, int overwrite);

    /// <summary>The reproducibility mode <see cref="ReproducibilityVariable"/> asks for (null when it is unset or empty),
    /// read without loading MKL, so a bad value can be refused before any work.</summary>
    /// <exception cref="MklSettingException">The value is not a mode's name.</exception>
    public static MklReproducibility? ReproducibilityFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(ReproducibilityVariable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (Enum.TryParse<MklReproducibility>(text.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode)) return mode;
        throw new MklSettingException(ReproducibilityVariable,
            $"{ReproducibilityVariable}='{text}' is not an MKL reproducibility mode; accepted (any case): " +
            string.Join(", ", Enum.GetNames<MklReproducibility>()) + ", or unset it.");
    }
}
