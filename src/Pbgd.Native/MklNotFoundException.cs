namespace Pbgd.Native;

/// <summary>
/// Thrown when no candidate for Intel MKL's <c>libmkl_rt</c> could be loaded. The message lists every attempt
/// with the loader's error, then how to install MKL on Debian/Ubuntu and how to point Pbgd at an MKL installed
/// elsewhere (<see cref="MklLibrary.PathVariable"/>, <c>MKLROOT</c>, an MKL.NET.linux-x64 runtime package).
/// </summary>
public sealed class MklNotFoundException : DllNotFoundException
{
    /// <summary>Creates the exception from the load attempts.</summary>
    /// <param name="attempts">Each candidate tried, with the loader's error.</param>
    public MklNotFoundException(IReadOnlyList<string> attempts)
        : base(BuildMessage(attempts)) => Attempts = attempts;

    /// <summary>Every candidate tried, in order, with the loader's error.</summary>
    public IReadOnlyList<string> Attempts { get; }

    /// <summary>What to do about a missing MKL, in the words of the message (also in the packages' readme).</summary>
    internal static string InstallAdvice { get; } = string.Join(Environment.NewLine,
        "Install Intel MKL and an OpenMP runtime:",
        "  Debian:  enable the 'non-free' component (add 'non-free' to the Components: line of",
        "           /etc/apt/sources.list.d/debian.sources, or to the 'deb' lines of /etc/apt/sources.list), then",
        "           sudo apt-get update && sudo apt-get install libmkl-rt libomp-dev",
        "  Ubuntu:  sudo add-apt-repository multiverse && sudo apt-get update && sudo apt-get install libmkl-rt libomp-dev",
        "  (in a Pbgd source checkout, 'bash native/install-deps.sh' does this.)",
        "Or point Pbgd at an MKL installed elsewhere:",
        "  " + MklLibrary.PathVariable + "=/path/to/libmkl_rt.so   that file is then the only candidate;",
        "  MKLROOT=/opt/intel/oneapi/mkl/latest      $MKLROOT/lib and $MKLROOT/lib/intel64 are searched last;",
        "  an MKL.NET.linux-x64 runtime package next to the application (runtimes/linux-x64/native/libmkl_rt.so) is found too.");

    private static string BuildMessage(IReadOnlyList<string> attempts) =>
        "Intel MKL (libmkl_rt) could not be loaded. Attempts:" + Environment.NewLine +
        string.Concat(attempts.Select(a => "  - " + a + Environment.NewLine)) + InstallAdvice;
}
