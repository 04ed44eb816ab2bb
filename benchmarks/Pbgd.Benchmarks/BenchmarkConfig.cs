using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;

namespace Pbgd.Benchmarks;

/// Every suite reports allocations (MemoryDiagnoser) and exports JSON (for BenchCompare) and Markdown (for the
/// README). No job is fixed here: BenchmarkDotNet's default job measures, `--job short` is the quick smoke run.
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        AddDiagnoser(MemoryDiagnoser.Default);
        AddExporter(JsonExporter.Full, MarkdownExporter.GitHub);
        WithOptions(ConfigOptions.JoinSummary);
    }
}
