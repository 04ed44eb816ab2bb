namespace Pbgd.Tests.Native;

/// Without a loadable MKL, `pbgd info` exits with code 1 and a message that lists every load attempt and the
/// commands that install MKL on Debian/Ubuntu (checked in child processes; PBGD_MKL_PATH makes its path the only candidate).
[Trait("Speed", "Slow")]
public class MissingLibraryTests
{
    private static void AssertReportsOneFailedAttempt(string path, int code, string stdout, string stderr)
    {
        Assert.Equal(1, code);
        Assert.Equal("", stdout.Trim()); // nothing printed as if MKL had loaded
        Assert.Contains("could not be loaded", stderr);
        // Exactly one attempt line (the variable makes it the only candidate), naming the path.
        var attempts = stderr.Split('\n').Where(l => l.StartsWith("  - ", StringComparison.Ordinal)).ToArray();
        Assert.Single(attempts);
        Assert.StartsWith($"  - {path}: ", attempts[0]);
        // What a package user (who has no native/install-deps.sh) needs: the apt lines and the ways to point at MKL.
        Assert.Contains("apt-get install libmkl-rt libomp-dev", stderr);
        Assert.Contains("non-free", stderr);
        Assert.Contains("PBGD_MKL_PATH=", stderr);
        Assert.Contains("MKLROOT", stderr);
        Assert.Contains("MKL.NET.linux-x64", stderr);
        Assert.DoesNotContain("Unhandled exception", stderr);
        Assert.DoesNotContain("   at ", stderr); // a message, not a stack trace
    }

    [Fact]
    public void NonexistentPathExitsOneListingTheAttemptAndTheInstallCommand()
    {
        const string path = "/nonexistent/libmkl_rt.so";
        var (code, stdout, stderr) = PbgdChild.Run("info", ("PBGD_MKL_PATH", path));
        AssertReportsOneFailedAttempt(path, code, stdout, stderr);
    }

    [Fact]
    public void FileThatIsNotALibraryIsReportedTheSameWay()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pbgd-not-a-library-{Environment.ProcessId}.so");
        File.WriteAllText(path, "this is not an ELF shared object");
        try
        {
            var (code, stdout, stderr) = PbgdChild.Run("info", ("PBGD_MKL_PATH", path));
            AssertReportsOneFailedAttempt(path, code, stdout, stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
