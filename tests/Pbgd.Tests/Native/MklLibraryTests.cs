using Pbgd.Native;

namespace Pbgd.Tests.Native;

/// MKL's runtime controls as seen by this test process (where TestEnvironment pins MKL to one thread).
public class MklLibraryTests
{
    [Fact]
    public void ThreadCountIsPinnedAndZeroIsRejected()
    {
        Assert.Equal(1, MklLibrary.MaxThreads); // set by TestEnvironment's module initializer
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => MklLibrary.SetThreads(0));
        Assert.Equal("threads", e.ParamName);
        Assert.Equal(1, MklLibrary.MaxThreads); // unchanged by the rejected call
    }

    [Fact]
    public void LoadTraceRecordsWhichLibraryWasLoaded()
    {
        Assert.True(MklLibrary.IsLoaded);
        var loaded = MklLibrary.LoadTrace.Where(l => l.StartsWith("loaded ", StringComparison.Ordinal)).ToArray();
        Assert.Equal([$"loaded {MklLibrary.LoadedPath}"], loaded); // loaded exactly once, from LoadedPath
    }
}
