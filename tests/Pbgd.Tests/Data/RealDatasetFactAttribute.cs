using Pbgd.Data;

namespace Pbgd.Tests.Data;

/// A fact that runs only where a data set has been fetched (pbgd data fetch NAME): it looks in $PBGD_DATA_DIR or
/// ./data, then in data/NAME of each folder above the test binaries (the repository's own ./data). Elsewhere the
/// test is reported as skipped with the reason — xunit 2 has no dynamic skip, so the decision is made when the
/// attribute is constructed at discovery.
public sealed class RealDatasetFactAttribute : FactAttribute
{
    public RealDatasetFactAttribute(string name)
    {
        if (Folder(name) is null)
            Skip = $"{name} not fetched (looked in ${DatasetLocator.EnvironmentVariable}, ./data and data/ above the test binaries); run 'pbgd data fetch {name}'.";
    }

    public static string? Folder(string name)
    {
        if (DatasetLocator.Find(name) is { } found) return found;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (DatasetLocator.Find(name, Path.Combine(dir.FullName, "data")) is { } folder) return folder;
        return null;
    }
}
