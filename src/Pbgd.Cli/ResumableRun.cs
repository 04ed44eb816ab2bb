using Pbgd.Experiments;

namespace Pbgd.Cli;

/// What `pbgd resume DIR` needs besides the solver checkpoint: the run's configuration and where its outputs go.
/// Written once into the checkpoint folder when the run starts.
internal sealed record ResumableRun(HyperCleaningConfig Config, string OutDirectory, string? DataDirectory)
{
    internal const string FileName = "run.json";
}
