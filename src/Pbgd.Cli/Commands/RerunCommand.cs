using System.CommandLine;
using Pbgd.Reporting;

namespace Pbgd.Cli.Commands;

/// `pbgd rerun summary.json`: repeats a run from the option values its summary recorded, under the MKL reproducibility
/// mode it recorded (RecordedReproducibility).
internal static class RerunCommand
{
    internal static Command Create()
    {
        var summary = new Argument<string>("summary") { Description = "A summary.json written by 'pbgd hyperclean'." };
        var output = new Option<string?>("--out") { Description = "Output folder (default: a 'rerun' folder beside the summary)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where fetched data sets live." };
        var command = new Command("rerun", "Repeat a hyper-cleaning run from its summary.json.") { summary, output, dataDir };
        command.SetAction(p =>
        {
            string path = p.GetValue(summary)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"summary: {path} does not exist.", path);
            var recorded = HyperCleaningSummary.Read(path);
            var config = recorded.Options;
            // Before anything touches MKL: the run's reproducibility mode, or a warning that it cannot be had.
            foreach (string line in RecordedReproducibility.Apply(recorded.Environment)) Console.Error.WriteLine(line);
            string outDir = p.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "rerun");
            return HyperCleanCommand.Execute(config, outDir, p.GetValue(dataDir));
        });
        return command;
    }
}
