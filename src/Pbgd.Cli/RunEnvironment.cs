using System.Runtime.InteropServices;
using Pbgd.Native;

namespace Pbgd.Cli;

/// Machine and MKL facts recorded in every summary, so a figure can be traced to what produced it.
internal static class RunEnvironment
{
    internal static IReadOnlyDictionary<string, string> Describe() => new SortedDictionary<string, string>
    {
        ["mklVersion"] = MklLibrary.VersionString,
        ["mklLibrary"] = MklLibrary.LoadedPath,
        ["mklKernels"] = string.Join(" ", MklLibrary.LoadedKernelLibraries().Select(Path.GetFileName).Order(StringComparer.Ordinal)),
        ["mklThreads"] = MklLibrary.MaxThreads.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["mklDynamicThreads"] = MklLibrary.DynamicThreads.ToString(),
        ["mklReproducibility"] = MklLibrary.Reproducibility.ToString(),
        ["cpu"] = CpuName(),
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["pbgdVersion"] = typeof(Pbgd.Solvers.PbgdSolver).Assembly.GetName().Version?.ToString() ?? "",
    };

    internal static string CpuName()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo)) return RuntimeInformation.ProcessArchitecture.ToString();
        var line = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? "unknown CPU" : line[(line.IndexOf(':') + 1)..].Trim();
    }
}
