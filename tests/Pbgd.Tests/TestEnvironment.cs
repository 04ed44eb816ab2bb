using System.Runtime.CompilerServices;
using Pbgd.Native;

namespace Pbgd.Tests;

/// xunit runs test classes in parallel on a 2-core machine; MKL's OpenMP workers spinning after each call
/// would oversubscribe it (docs/environment.md), so the test process pins MKL to one thread before any call.
internal static class TestEnvironment
{
    [ModuleInitializer]
    internal static void PinMklThreads()
    {
        Environment.SetEnvironmentVariable("KMP_BLOCKTIME", "0");
        // Several tests compare two runs in this process bit for bit (checkpoint/resume, parallel vs sequential, CLI vs
        // library). MKL promises that only under conditional numerical reproducibility: on AMD CPUs its generic kernels
        // otherwise differ in the last bit between calls on differently aligned arrays (measured: 1 ulp on u after
        // 90 PBGD-J iterations). AUTO is the branch every CPU accepts. Child processes keep MKL's default.
        if (Environment.GetEnvironmentVariable(MklLibrary.ReproducibilityVariable) is null) MklLibrary.Configure(MklReproducibility.Auto);
        MklLibrary.SetThreads(1);
    }
}
