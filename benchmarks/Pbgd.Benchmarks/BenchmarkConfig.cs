using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;

namespace Pbgd.Benchmarks;

/// Every suite reports allocations (MemoryDiagnoser) and exports JSON (for BenchCompare) and Markdown (for the
/// README). `--job short` gives the seconds-long CI smoke run; the default job is for real measurements.
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        AddDiagnoser(MemoryDiagnoser.Default);
        AddExporter(JsonExporter.Full, MarkdownExporter.GitHub);
        WithOptions(ConfigOptions.JoinSummary);
        AddJob(Job.Default.WithId("default"));
    }
}
