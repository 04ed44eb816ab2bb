namespace Pbgd.Experiments;

/// <summary>Turns a configuration's <c>Dataset</c> into a prepared <see cref="HyperCleaningDataset"/>.</summary>
public static class HyperCleaningDatasets
{
    /// <summary>
    /// Loads, splits, corrupts and scales the configured data set. The default MNIST falls back to the embedded
    /// synthetic data set, and says so through <paramref name="log"/>, when it has not been fetched.
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <param name="dataDirectory">Where fetched data sets live (null: ./data or $PBGD_DATA_DIR).</param>
    /// <param name="log">Receives one line per decision worth telling the user.</param>
    public static HyperCleaningDataset Prepare(HyperCleaningConfig config, string? dataDirectory, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        config.Validate();
        if (config.Dataset == "synthetic") return HyperCleaningExperiment.Synthetic(config);
        if (config.Dataset is "mnist" or "fashion-mnist")
        {
            string root = dataDirectory ?? Environment.GetEnvironmentVariable("PBGD_DATA_DIR") ?? "data";
            string folder = Path.Combine(root, config.Dataset);
            if (!Directory.Exists(folder))
            {
                log($"{config.Dataset} not found in {Path.GetFullPath(folder)} (fetch it with 'pbgd data fetch {config.Dataset}'): " +
                    "using the embedded synthetic data set instead.");
                return HyperCleaningExperiment.Synthetic(config with { Dataset = "synthetic" });
            }
        }
        throw new ArgumentException($"--dataset: '{config.Dataset}' is not supported yet by this build.", nameof(config));
    }
}
