using System.Text.RegularExpressions;
using Pbgd.Native;

namespace Pbgd.Tests.Native;

/// `pbgd info` in a child process reports the same MKL as this test process sees: the version string, the
/// library that was loaded, and a CPU-specific kernel library that MKL dispatched to.
[Trait("Speed", "Slow")]
public class InfoCommandTests
{
    private static readonly Regex KernelLibrary = new(@"^libmkl_(def|mc|mc3|avx|avx2|avx512|avx512_mic)\.so(\.\d+)?$");

    [Fact]
    public void ReportsTheVersionLibraryThreadsAndKernelOfThisMkl()
    {
        var (code, output, error) = PbgdChild.Run("info");
        Assert.True(code == 0, $"pbgd info exited with {code}: {error}");

        var version = PbgdChild.Field(output, "MKL");
        Assert.Matches(@"^Intel\(R\) Math Kernel Library Version 20\d\d\.\d+\.\d+", version);
        Assert.Equal(MklLibrary.VersionString, version); // the same string through this process's binding
        Assert.Equal(MklLibrary.LoadedPath, PbgdChild.Field(output, "library"));

        // The child is not pinned: MKL may use between 1 thread and the machine's logical cores.
        Assert.InRange(int.Parse(PbgdChild.Field(output, "max threads")!), 1, Environment.ProcessorCount);

        var kernels = PbgdChild.Field(output, "kernel libraries")!.Split(", ");
        var kernel = Assert.Single(kernels, k => KernelLibrary.IsMatch(k));
        // This process dispatches to the same CPU kernel (same library, same CPU, no reproducibility branch).
        Assert.Contains(kernel, MklLibrary.LoadedKernelLibraries().Select(Path.GetFileName));
    }
}
