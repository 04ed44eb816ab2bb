using Pbgd.Tests.Support;

namespace Pbgd.Tests.Reliability;

/// compare and replearn treat --out as hyperclean does (OutputFolder): checked before any work, locked against a second
/// writer (which used to overwrite silently), and filled through a staging folder, all or nothing.
public sealed class CommandOutputFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-outfolder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(string arguments, params (string, string)[] environment) =>
        CliProcess.Run(arguments, [("MKL_NUM_THREADS", "1"), ("KMP_BLOCKTIME", "0"), .. environment]);

    private static void AssertRefused((int Code, string Out, string Err) r, params string[] words)
    {
        Assert.True(r.Code == 2, $"exit {r.Code}: {r.Err}");
        foreach (var w in words) Assert.Contains(w, r.Err);
        Assert.DoesNotContain("Exception", r.Err);
    }

    [Theory]
    [InlineData("compare --problem quadratic --iterations 5")]
    [InlineData("replearn --iterations 5")]
    public void CompareAndReplearnTakeTheOutputLockAndLeaveNoStagingFolder(string command)
    {
        string outDir = Directory.CreateDirectory(Path.Combine(_dir, command.Split(' ')[0])).FullName;
        using (new FileStream(Path.Combine(outDir, ".pbgd.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
            AssertRefused(Run($"{command} --out \"{outDir}\""), "--out", outDir, "another pbgd run is writing into this folder");
        Assert.Single(Directory.GetFileSystemEntries(outDir)); // only the lock file: nothing was written
        var (code, _, err) = Run($"{command} --out \"{outDir}\"");
        Assert.True(code == 0, err);
        Assert.Empty(Directory.GetDirectories(outDir)); // the staging folder was moved out and removed
        Assert.Contains(Directory.GetFiles(outDir), f => f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith("summary.json", StringComparison.Ordinal));
    }

    [Fact]
    public void AnOutputPathThatIsAFileIsRefusedByCompareAndReplearn()
    {
        string file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "x");
        AssertRefused(Run($"compare --problem quadratic --iterations 5 --out \"{file}\""), "--out", file, "is a file");
        AssertRefused(Run($"replearn --iterations 5 --out \"{file}\""), "--out", file, "is a file");
    }
}
