using System.Runtime.CompilerServices;
using Pbgd.Native;

namespace Pbgd.Tests;

/// xunit runs test classes in parallel on a 2-core machine; MKL's OpenMP workers spinning after each call
/// would oversubscribe it (ENVIRONMENT.md), so the test process pins MKL to one thread before any call.
internal static class TestEnvironment
{
    [ModuleInitializer]
    internal static void PinMklThreads()
    {
        Environment.SetEnvironmentVariable("KMP_BLOCKTIME", "0");
        MklLibrary.SetThreads(1);
    }
}
