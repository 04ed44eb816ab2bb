using Pbgd.Experiments;
using Pbgd.Native;

namespace Pbgd.Cli;

/// What `pbgd resume` must find as the run had it, before any data is read: MKL's reproducibility mode (pinned as
/// recorded, as `pbgd rerun` does) and MKL's thread count. Under another mode or thread count MKL can compute other
/// last bits, so the resumed run would not be the run; such a resume is refused, naming what differs.
internal static class ResumeChecks
{
    /// MKL's thread count the run computes with: --threads, or MKL's own choice (MKL_NUM_THREADS, the cores).
    internal static int EffectiveThreads(HyperCleaningConfig config) => config.Threads > 0 ? config.Threads : MklLibrary.MaxThreads;

    internal static void Check(ResumableRun run)
    {
        string variable = MklLibrary.ReproducibilityVariable;
        string? requested = Environment.GetEnvironmentVariable(variable);
        if (Enum.TryParse<MklReproducibility>(run.MklReproducibility, ignoreCase: true, out var recorded)
            && recorded is not (MklReproducibility.Off or MklReproducibility.BranchOff) && !MklLibrary.IsLoaded)
        {
            if (!string.IsNullOrWhiteSpace(requested) && !(Enum.TryParse<MklReproducibility>(requested.Trim(), ignoreCase: true, out var asked) && asked == recorded))
                throw new InvalidDataException($"{variable}={requested} asks for another MKL reproducibility mode than the run's ({recorded}); " +
                                               $"resume without it, or with {variable}={recorded.ToString().ToUpperInvariant()}.");
            MklLibrary.Configure(recorded);
        }
        string now = MklLibrary.Reproducibility.ToString();
        if (!string.Equals(now, run.MklReproducibility, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"MKL's reproducibility mode is {now} in this process; the run had {run.MklReproducibility}, and MKL can compute other last bits under another mode. " +
                                           (recorded is MklReproducibility.Off or MklReproducibility.BranchOff
                                               ? $"The run pinned no mode: resume without {variable}."
                                               : $"Resume with {variable}={run.MklReproducibility.ToUpperInvariant()}."));
        int threads = EffectiveThreads(run.Config);
        if (threads != run.MklThreads)
            throw new InvalidDataException($"MKL would compute with {threads} thread{(threads == 1 ? "" : "s")} now; the run had {run.MklThreads}, and another thread count can change the last bits. " +
                                           $"Resume with MKL_NUM_THREADS={run.MklThreads}.");
    }
}
