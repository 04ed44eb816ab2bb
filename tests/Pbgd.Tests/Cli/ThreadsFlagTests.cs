namespace Pbgd.Tests.Cli;

/// <summary>
/// --threads governs every computation of a run, the problem's construction included (it computes norms of the data that
/// set the step sizes): a run with --threads 1 ends with the same iterates whatever MKL's initial thread count is. Before,
/// the thread count was applied after the problem was built, so MKL_NUM_THREADS (or a CPU affinity mask, as under mpirun)
/// changed the last bits of the run.
/// </summary>
public sealed class ThreadsFlagTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-threads-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ARunWithThreadsOneDoesNotDependOnMklsInitialThreadCount()
    {
        const string args = "hyperclean --dataset synthetic --train 1300 --val 300 --test 200 --iterations 6 --threads 1 --seed 3 --upper-step lbfgs";
        var cbwr = ("PBGD_MKL_CBWR", Pbgd.Native.MklLibrary.Reproducibility.ToString().ToUpperInvariant());
        string one = Path.Combine(_dir, "mkl1"), two = Path.Combine(_dir, "mkl2");
        var a = Support.CliProcess.Run($"{args} --out \"{one}\"", ("MKL_NUM_THREADS", "1"), ("KMP_BLOCKTIME", "0"), cbwr);
        Assert.True(a.Code == 0, a.Err);
        var b = Support.CliProcess.Run($"{args} --out \"{two}\"", ("MKL_NUM_THREADS", "2"), ("KMP_BLOCKTIME", "0"), cbwr);
        Assert.True(b.Code == 0, b.Err);
        foreach (var file in new[] { "weights.csv", "model.csv" })
            Assert.True(File.ReadAllBytes(Path.Combine(one, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(two, file))), $"{file} differs");
    }
}
