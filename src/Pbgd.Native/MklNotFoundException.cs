namespace Pbgd.Native;

/// <summary>
/// Thrown when no candidate for Intel MKL's <c>libmkl_rt</c> could be loaded. The message lists every attempt
/// with the loader's error and the command that installs MKL.
/// </summary>
public sealed class MklNotFoundException : DllNotFoundException
{
    /// <summary>Creates the exception from the load attempts.</summary>
    /// <param name="attempts">Each candidate tried, with the loader's error.</param>
    public MklNotFoundException(IReadOnlyList<string> attempts)
        : base(BuildMessage(attempts)) => Attempts = attempts;

    /// <summary>Every candidate tried, in order, with the loader's error.</summary>
    public IReadOnlyList<string> Attempts { get; }

    private static string BuildMessage(IReadOnlyList<string> attempts) =>
        "Intel MKL (libmkl_rt) could not be loaded. Attempts:" + Environment.NewLine +
        string.Concat(attempts.Select(a => "  - " + a + Environment.NewLine)) +
        "Install it with:  bash native/install-deps.sh   (Debian/Ubuntu: enables the non-free component and " +
        "installs libmkl-rt and libomp-dev), or set " + MklLibrary.PathVariable + " to the full path of libmkl_rt.so.";
}
