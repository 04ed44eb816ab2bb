using Pbgd.Native;

namespace Pbgd.Cli;

/// `pbgd rerun` repeats a run to the bit only under the MKL reproducibility mode the run had: MKL can compute in other
/// code paths (other last bits) under another mode, and the mode can only be chosen before MKL's first call. This pins
/// the mode the summary recorded (environment.mklReproducibility) before MKL loads, over PBGD_MKL_CBWR, and says what it
/// did; when it cannot (MKL already loaded in another mode, or the original run pinned no mode) it warns.
internal static class RecordedReproducibility
{
    internal const string Key = "mklReproducibility";

    /// Applies the recorded mode; returns the lines to print on standard error (none when there is nothing to say).
    internal static IReadOnlyList<string> Apply(IReadOnlyDictionary<string, string>? environment)
    {
        string variable = MklLibrary.ReproducibilityVariable;
        string? requested = Environment.GetEnvironmentVariable(variable);
        if (environment is null || !environment.TryGetValue(Key, out var text))
            return ["warning: the summary records no MKL reproducibility mode, so the rerun may differ from the run in the last bits."];
        if (!Enum.TryParse<MklReproducibility>(text, ignoreCase: true, out var recorded))
            return [$"warning: the summary's MKL reproducibility mode '{text}' is not one this version knows; MKL keeps its own, so the rerun may differ in the last bits."];
        if (recorded is MklReproducibility.Off or MklReproducibility.BranchOff)
            return string.IsNullOrWhiteSpace(requested)
                ? []
                : [$"warning: the original run pinned no MKL reproducibility mode ({text}); {variable}={requested} pins one now, so the rerun may differ from it in the last bits."];
        if (MklLibrary.IsLoaded)
        {
            var now = MklLibrary.Reproducibility;
            return now == recorded ? [] : [$"warning: MKL is already loaded in reproducibility mode {now}; the run used {recorded}, so the rerun may differ from it in the last bits."];
        }
        MklLibrary.Configure(recorded);
        return string.IsNullOrWhiteSpace(requested) || Enum.TryParse<MklReproducibility>(requested.Trim(), ignoreCase: true, out var asked) && asked == recorded
            ? [$"note: MKL's reproducibility mode is {recorded}, as the run recorded."]
            : [$"note: MKL's reproducibility mode is {recorded}, as the run recorded; {variable}={requested} is not used by rerun."];
    }
}
