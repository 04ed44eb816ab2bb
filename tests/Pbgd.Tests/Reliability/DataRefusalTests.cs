using Pbgd.Tests.Support;

namespace Pbgd.Tests.Reliability;

/// Data and settings the CLI refuses (exit 2) or accepts with a warning, through a child process on real files.
public sealed class DataRefusalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-refusal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(string arguments) =>
        CliProcess.Run(arguments, ("MKL_NUM_THREADS", "1"), ("KMP_BLOCKTIME", "0"));

    private string Libsvm(string name, Func<int, string> line, int rows = 60)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllLines(path, Enumerable.Range(0, rows).Select(line));
        return path;
    }

    private const string Small = "--train 20 --val 10 --test 10 --iterations 3 --threads 1";

    [Fact]
    public void OneClassAndAMissingOfficialTestSetAreRefused()
    {
        string one = Libsvm("one.svm", i => $"1 1:{i % 7} 2:{i % 5}");
        var r = Run($"hyperclean --dataset libsvm:{one} {Small} --out \"{_dir}/o\"");
        Assert.True(r.Code == 2, r.Err);
        Assert.Contains($"{one}: every sample has the same label (one class)", r.Err);

        string two = Libsvm("two.svm", i => $"{i % 2} 1:{i % 7} 2:{i % 5}");
        r = Run($"hyperclean --dataset libsvm:{two} --official-test {Small} --out \"{_dir}/o\"");
        Assert.True(r.Code == 2, r.Err);
        Assert.Contains("--official-test: 'libsvm:", r.Err);
        Assert.Contains("names no test file", r.Err);

        string csv = Path.Combine(_dir, "two.csv");
        File.WriteAllLines(csv, Enumerable.Range(0, 60).Select(i => $"{i % 7},{i % 5},{i % 2}"));
        r = Run($"hyperclean --dataset csv:{csv} --official-test {Small} --out \"{_dir}/o\"");
        Assert.True(r.Code == 2, r.Err);
        Assert.Contains("--official-test: a csv data set has one file and no official test set", r.Err);
        Assert.False(Directory.Exists(Path.Combine(_dir, "o")));
    }

    [Fact]
    public void ATooLargeLibsvmIndexIsReportedAtItsLine()
    {
        string wide = Libsvm("wide.svm", i => $"{i % 2} 1:0.5 {(i == 14 ? 1_000_000 : 3)}:0.25", rows: 400);
        var r = Run($"hyperclean --dataset libsvm:{wide} {Small} --out \"{_dir}/o\"");
        Assert.True(r.Code == 2, r.Err);
        Assert.Contains($"{wide}, line 15: feature index 1000000", r.Err);
    }

    [Fact]
    public void RepeatedIndicesUnusedCheckpointFlagsAndAClampedStartWarn()
    {
        string dup = Libsvm("dup.svm", i => i == 3 ? "1 1:0.5 2:0.1 2:0.7" : $"{i % 2} 1:{i % 7} 2:{i % 5}");
        var r = Run($"hyperclean --dataset libsvm:{dup} {Small} --checkpoint-every 5 --u0 50 --radius 10 --out \"{_dir}/o\"");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains($"warning: {dup}: line 4: feature 2 appears more than once; the last value given on a line is kept.", r.Err);
        Assert.Contains("warning: --checkpoint-every and --checkpoint-seconds have no effect without --checkpoint DIR", r.Err);
        Assert.Contains("warning: --u0 50 lies outside the box [−10, 10] of --radius; the run starts from u0 = 10 (clamped).", r.Err);
    }
}
