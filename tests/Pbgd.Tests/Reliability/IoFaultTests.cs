using System.Diagnostics;
using Pbgd.Tests.Support;

namespace Pbgd.Tests.Reliability;

/// Input and output faults through the CLI in a child process, with real files: each exits with code 2 and a message
/// that names the path and the cause in words (never an exception type), and the output folders are checked before
/// any data is read.
public sealed class IoFaultTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-io-").FullName;
    private readonly List<string> _mounts = [];

    public void Dispose()
    {
        foreach (var m in _mounts) Shell($"umount \"{m}\"");
        Directory.Delete(_dir, recursive: true);
    }

    private const string Synthetic = "hyperclean --dataset synthetic --train 300 --val 100 --test 100 --iterations 20 --threads 1";

    private static (int Code, string Out, string Err) Run(string arguments) =>
        CliProcess.Run(arguments, ("MKL_NUM_THREADS", "1"), ("KMP_BLOCKTIME", "0"));

    private static int Shell(string command)
    {
        using var p = Process.Start(new ProcessStartInfo("sh", ["-c", command]) { RedirectStandardError = true })!;
        p.WaitForExit();
        return p.ExitCode;
    }

    private static void AssertRefused((int Code, string Out, string Err) r, params string[] words)
    {
        Assert.True(r.Code == 2, $"exit {r.Code}: {r.Err}");
        foreach (var w in words) Assert.Contains(w, r.Err);
        Assert.DoesNotContain("Exception", r.Err);
    }

    [Fact]
    public void UnusableInputFilesNameThePathAndTheCause()
    {
        string loop = Path.Combine(_dir, "loop-a");
        File.CreateSymbolicLink(loop, Path.Combine(_dir, "loop-b"));
        File.CreateSymbolicLink(Path.Combine(_dir, "loop-b"), loop);
        AssertRefused(Run($"hyperclean --dataset csv:{loop} --out \"{_dir}/o\""), loop, "symbolic links loop");

        string folder = Directory.CreateDirectory(Path.Combine(_dir, "folder.csv")).FullName;
        AssertRefused(Run($"hyperclean --dataset csv:{folder} --out \"{_dir}/o\""), folder, "is a directory");

        // A FIFO with no writer would block the open for ever: it is refused before it is opened.
        string fifo = Path.Combine(_dir, "fifo.csv");
        Assert.Equal(0, Shell($"mkfifo \"{fifo}\""));
        AssertRefused(Run($"hyperclean --dataset csv:{fifo} --out \"{_dir}/o\""), fifo, "named pipe (FIFO)");
        AssertRefused(Run($"hyperclean --dataset libsvm:/dev/zero --out \"{_dir}/o\""), "/dev/zero", "is a device");
    }

    [Fact]
    public void AnUnreadableFileSaysPermissionDenied()
    {
        // As root, chmod 000 does not stop a read (root passes permission checks); a write-only sysfs attribute does.
        const string writeOnly = "/sys/bus/pci/rescan";
        string path = Path.Combine(_dir, "secret.csv");
        File.WriteAllText(path, "1,2\n3,4\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.None);
        bool root = Environment.UserName == "root";
        if (root) Assert.True(File.Exists(writeOnly), $"{writeOnly} (mode 0200) is what shows an unreadable file to root; this machine has none");
        string target = root ? writeOnly : path;
        AssertRefused(Run($"hyperclean --dataset csv:{target} --out \"{_dir}/o\""), target, "permission denied");
    }

    [Fact]
    public void UnusableOutputFoldersAreRefusedBeforeTheDataIsRead()
    {
        string file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "");
        // The data set named does not exist: a refusal that names the folder shows it came first.
        var missing = $"hyperclean --dataset csv:{_dir}/none.csv";
        var r = Run($"{missing} --out \"{file}\"");
        AssertRefused(r, "--out", file, "is a file, not a folder");
        AssertRefused(Run($"{missing} --out \"{_dir}/o\" --checkpoint \"{file}\""), "--checkpoint", file, "is a file, not a folder");
        AssertRefused(Run($"{missing} --out /sys/kernel/pbgd-out"), "/sys/kernel/pbgd-out", "permission denied");
        Assert.Equal("", File.ReadAllText(file));
    }

    [Fact]
    public void AnUnterminatedQuoteIsReportedWhereItOpens()
    {
        string csv = Path.Combine(_dir, "quote.csv");
        File.WriteAllText(csv, "a,b,label\n1,2,0\n3,\"4,1\n5,6,0\n7,8,1\n");
        AssertRefused(Run($"hyperclean --dataset csv:{csv} --out \"{_dir}/o\""), $"{csv}, line 3", "quoted field opens on this line");
    }

    [Fact]
    public void ASecondRunIntoTheSameOutputFolderIsRefused()
    {
        string outDir = Path.Combine(_dir, "shared");
        using var first = CliProcess.StartDraining($"{Synthetic.Replace("--iterations 20", "--iterations 100000")} --out \"{outDir}\"", ("MKL_NUM_THREADS", "1"));
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!File.Exists(Path.Combine(outDir, ".pbgd.lock")) && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Thread.Sleep(300);
        try
        {
            Assert.False(first.HasExited, "the first run ended before the second started");
            AssertRefused(Run($"{Synthetic} --out \"{outDir}\""), "--out", outDir, "another pbgd run is writing into this folder");
        }
        finally
        {
            first.Kill();
            first.WaitForExit();
        }
        // The lock dies with its process (even a killed one): the folder is free again.
        Assert.Equal(0, Run($"{Synthetic} --out \"{outDir}\"").Code);
    }

    // A small tmpfs stands for a full disk; mounting one needs root (CI runs as root). Elsewhere a read-only folder
    // stands for it: the write fails the same way for the code under test.
    private string SmallDisk(string name, int kilobytes)
    {
        string path = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
        if (Environment.UserName == "root")
        {
            Assert.Equal(0, Shell($"mount -t tmpfs -o size={kilobytes}k tmpfs \"{path}\""));
            _mounts.Add(path);
        }
        return path;
    }

    [Fact]
    public void AFullCheckpointDiskWarnsOnceAndTheRunStillWritesItsResults()
    {
        string disk = SmallDisk("ckpt-disk", 8);
        string outDir = Path.Combine(_dir, "out");
        // run.json fits in 8 KiB, the checkpoints (the 300 weights and the history) do not.
        var r = Run($"{Synthetic.Replace("--iterations 20", "--iterations 60")} --checkpoint \"{disk}\" --checkpoint-every 10 --out \"{outDir}\"");
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(1, r.Err.Split('\n').Count(l => l.Contains("could not be written", StringComparison.Ordinal)));
        Assert.Contains("No space left on device", r.Err);
        foreach (var f in new[] { "summary.json", "trajectory.csv", "weights.csv", "model.csv", "convergence.png" })
            Assert.True(File.Exists(Path.Combine(outDir, f)), f);
    }

    [Fact]
    public void AFullOutputDiskWritesNothingAndSaysSo()
    {
        string disk = SmallDisk("out-disk", 48);
        // summary.json, trajectory.csv, weights.csv and model.csv fit in 48 KiB; the plots do not.
        var r = Run($"{Synthetic} --out \"{disk}\"");
        AssertRefused(r, disk, "the outputs could not be written", "No space left on device", "nothing was replaced");
        Assert.DoesNotContain(Directory.GetFiles(disk).Select(Path.GetFileName), n => !n!.StartsWith('.'));
        Assert.Empty(Directory.GetDirectories(disk));
    }
}
