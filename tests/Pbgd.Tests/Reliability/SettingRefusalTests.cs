using Pbgd.Tests.Support;

namespace Pbgd.Tests.Reliability;

/// Settings refused through the CLI in a child process, with exit 2 naming the setting: a bad PBGD_MKL_CBWR (it was an
/// InvalidOperationException with exit 1, after the data were read) and a validation file the data set cannot use (it
/// was silently ignored with exit 0).
public sealed class SettingRefusalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-setting-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Synthetic = "hyperclean --dataset synthetic --train 300 --val 100 --test 100 --iterations 5 --threads 1";

    private static (int Code, string Out, string Err) Run(string arguments, params (string, string)[] environment) =>
        CliProcess.Run(arguments, [("MKL_NUM_THREADS", "1"), ("KMP_BLOCKTIME", "0"), .. environment]);

    private static void AssertRefused((int Code, string Out, string Err) r, params string[] words)
    {
        Assert.True(r.Code == 2, $"exit {r.Code}: {r.Err}");
        foreach (var w in words) Assert.Contains(w, r.Err);
        Assert.DoesNotContain("Exception", r.Err);
    }

    [Fact]
    public void AnUnknownMklReproducibilityModeIsRefusedBeforeAnyWork()
    {
        string outDir = Path.Combine(_dir, "cbwr");
        AssertRefused(Run($"{Synthetic} --out \"{outDir}\"", ("PBGD_MKL_CBWR", "BOGUS")), "PBGD_MKL_CBWR", "BOGUS", "Compatible", "Avx2");
        Assert.False(Directory.Exists(outDir), "refused before anything was created");
        // Another command meets it when MKL loads: the same refusal.
        AssertRefused(Run($"compare --problem quadratic --iterations 5 --out \"{_dir}/cbwr-compare\"", ("PBGD_MKL_CBWR", "7")), "PBGD_MKL_CBWR", "Compatible");
    }

    [Fact]
    public void AValidationFileTheDataSetCannotUseIsRefused()
    {
        AssertRefused(Run($"{Synthetic} --val-file \"{_dir}/missing.csv\" --out \"{_dir}/vf\""), "--val-file", "synthetic");
        // An MNIST folder that is not there falls back to the synthetic set; the file is refused before that too.
        AssertRefused(Run($"{Synthetic.Replace("synthetic", "mnist")} --data-dir \"{_dir}/nowhere\" --val-file \"{_dir}/missing.csv\" --out \"{_dir}/vf2\""), "--val-file", "mnist");
    }
}
