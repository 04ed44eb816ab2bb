using BenchmarkDotNet.Running;
using Pbgd.Benchmarks;

// The benchmark suite. `--bench limits` measures the machine's limits and each solver's roofline fraction;
// `--bench convergence` runs the iteration-count study; `--bench rxgf` RXGF's count against its tolerance;
// `--bench perf` times the two MNIST hyper-cleaning workloads against their roofline and the peer figures of
// results/peers.md (issue 8); `--bench peers` runs the CLI side by side with the PyTorch and numpy/scipy peers of
// benchmarks/peers (issue 19); anything else goes to BenchmarkDotNet
// (e.g. `--filter *HyperCleaning*`, `--job short` for a seconds-long smoke run). Results land in results/.
var results = Path.GetFullPath(Environment.GetEnvironmentVariable("PBGD_RESULTS_DIR") ?? "results");
Directory.CreateDirectory(results);
int bench = Array.IndexOf(args, "--bench");
string? suite = bench >= 0 && bench + 1 < args.Length ? args[bench + 1] : null;
return suite switch
{
    "limits" => MachineLimits.Run(results),
    "convergence" => ConvergenceStudy.Run(results, quick: args.Contains("--quick")),
    "compare" => Compare(),
    "scaling" => ScalingStudy.Run(results),
    "rxgf" => RxgfRateStudy.Run(results),
    "perf" => PerfStudy.Run(results, args),
    "upper-steps" => UpperStepStudy.Run(results, args),
    "peers" => PeerStudy.Run(results, args),
    null => Run(args.Length == 0 ? ["--filter", "*"] : args),
    _ => Run(["--filter", $"*{suite}*", .. args.Where((_, i) => i != bench && i != bench + 1)]),
};

// BenchCompare: --bench compare --baseline FILE [--current FILE] [--threshold 0.10]; without --current it
// first runs the regression suite with BenchmarkDotNet's default job (about 2 minutes): a short job's ±100 %
// confidence margins cannot resolve a 10 % change.
int Compare()
{
    string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    string baseline = Value("--baseline") ?? throw new ArgumentException("--baseline FILE is required.");
    double threshold = double.Parse(Value("--threshold") ?? "0.10", System.Globalization.CultureInfo.InvariantCulture);
    string? current = Value("--current");
    if (current is null)
    {
        Run(["--filter", "*RegressionBenchmarks*"]);
        current = BenchCompare.Newest(results) ?? throw new InvalidOperationException("the regression suite wrote no JSON report.");
    }
    return BenchCompare.Run(baseline, current, threshold);
}

int Run(string[] bdnArgs)
{
    BenchmarkSwitcher.FromAssembly(typeof(MachineLimits).Assembly)
        .Run([.. bdnArgs, "--artifacts", Path.Combine(results, "benchmarkdotnet")]);
    return 0;
}
