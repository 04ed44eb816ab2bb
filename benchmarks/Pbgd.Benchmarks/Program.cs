using BenchmarkDotNet.Running;

// Entry point of the benchmark suite; suites are selected with BenchmarkDotNet's own --filter or --bench NAME.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
