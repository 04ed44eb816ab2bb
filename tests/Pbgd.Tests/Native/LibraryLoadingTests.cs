using Pbgd.Native;

namespace Pbgd.Tests.Native;

/// Library discovery, introspection and load-time modes, checked in child processes (MKL is loaded once per
/// process, so these modes cannot be changed in the test process itself).
public class LibraryLoadingTests
{
    private static (int Code, string Out, string Err) RunCli(string arguments, params (string Key, string Value)[] env) =>
        Support.CliProcess.Run(arguments, env);

    [Fact]
    public void MissingLibraryListsEveryAttemptAndTheInstallCommand()
    {
        var (code, _, err) = RunCli("info", ("PBGD_MKL_PATH", "/nonexistent/libmkl_rt.so"));
        Assert.Equal(1, code);
        Assert.Contains("/nonexistent/libmkl_rt.so", err);
        Assert.Contains("native/install-deps.sh", err);
        Assert.DoesNotContain("Unhandled exception", err);
    }

    [Fact]
    public void InfoReportsVersionThreadsAndKernelLibrary()
    {
        var (code, output, _) = RunCli("info");
        Assert.Equal(0, code);
        Assert.Contains("Math Kernel Library Version", output);
        Assert.Matches(@"max threads:\s+[1-9]", output);
        Assert.Matches(@"kernel libraries: .*libmkl_(avx|def|mc|core)", output);
    }

    [Fact]
    public void ReproducibilityModeIsAppliedAtLoadTime()
    {
        var (code, output, _) = RunCli("info", ("PBGD_MKL_CBWR", "AVX2"));
        Assert.Equal(0, code);
        Assert.Matches(@"reproducibility:\s+Avx2", output);
        // In this process MKL is already loaded (the test module pins its threads): too late to choose a mode.
        Assert.Throws<InvalidOperationException>(() => MklLibrary.Configure(MklReproducibility.Compatible));
    }
}
