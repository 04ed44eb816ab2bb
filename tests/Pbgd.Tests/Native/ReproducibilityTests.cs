using Pbgd.Native;

namespace Pbgd.Tests.Native;

/// MKL's conditional-numerical-reproducibility branch can only be chosen before MKL's first call: through
/// PBGD_MKL_CBWR in a child process, never by <see cref="MklLibrary.Configure"/> once MKL is loaded.
[Trait("Speed", "Slow")]
public class ReproducibilityTests
{
    [Theory]
    [InlineData("AUTO", "Auto")] // instruction-set branches (AVX2, …) are refused on non-Intel CPUs, so not tested here
    [InlineData("compatible", "Compatible")] // names are case-insensitive
    public void VariableSetsTheBranchAtLoadTime(string value, string reported)
    {
        var (code, output, error) = PbgdChild.Run("info", ("PBGD_MKL_CBWR", value));
        Assert.True(code == 0, $"pbgd info exited with {code}: {error}");
        Assert.Equal(reported, PbgdChild.Field(output, "reproducibility")); // read back through MKL_CBWR_Get
        Assert.Contains($"load trace:       reproducibility branch set to {reported}", output);
    }

    [Fact]
    public void ARefusedBranchFailsSayingWhichOnesWork()
    {
        // On this project's AMD machines MKL 2020 answers MKL_CBWR_ERR_UNSUPPORTED_BRANCH (−3) for AVX2; on Intel it
        // accepts it. Either way the outcome must be a clean answer, never a crash with a stack trace.
        var (code, output, error) = PbgdChild.Run("info", ("PBGD_MKL_CBWR", "AVX2"));
        if (code == 0) Assert.Equal("Avx2", PbgdChild.Field(output, "reproducibility"));
        else
        {
            Assert.Equal(1, code);
            Assert.Contains("returned -3", error);
            Assert.Contains("AUTO and COMPATIBLE", error);
            Assert.DoesNotContain("   at ", error);
        }
    }

    [Fact]
    public void WithoutTheVariableNoBranchIsChosen()
    {
        var (code, output, _) = PbgdChild.Run("info");
        Assert.Equal(0, code);
        Assert.Equal(nameof(MklReproducibility.BranchOff), PbgdChild.Field(output, "reproducibility"));
        Assert.DoesNotContain("reproducibility branch set", output);
    }

    [Fact]
    public void UnknownBranchNameFailsListingTheValidOnes()
    {
        var (code, stdout, stderr) = PbgdChild.Run("info", ("PBGD_MKL_CBWR", "AVX3"));
        Assert.Equal(2, code); // a bad setting, not a failure of the program (issue 15: it exited 1 naming an exception type)
        Assert.Equal("", stdout.Trim());
        Assert.Contains("PBGD_MKL_CBWR='AVX3' is not an MKL reproducibility mode", stderr);
        Assert.DoesNotContain("Exception", stderr);
        foreach (var name in Enum.GetNames<MklReproducibility>()) Assert.Contains(name, stderr);
    }

    [Fact]
    public void ConfigureAfterLoadThrowsAndLeavesTheBranchAlone()
    {
        MklLibrary.EnsureLoaded(); // the test module's initializer has loaded it already; made explicit here
        var before = MklLibrary.Reproducibility;
        var e = Assert.Throws<InvalidOperationException>(() => MklLibrary.Configure(MklReproducibility.Compatible, strict: true));
        Assert.Contains("already loaded", e.Message);
        Assert.Equal(before, MklLibrary.Reproducibility);
        Assert.NotEqual(MklReproducibility.Compatible, MklLibrary.Reproducibility);
    }
}
