using System.CommandLine;
using System.Globalization;
using Pbgd.Experiments;
using Pbgd.Experiments.Comparison;
using Pbgd.Experiments.Setup;
using Pbgd.Native;
using Pbgd.Reporting;
using Pbgd.Solvers;

namespace Pbgd.Cli.Commands;

/// `pbgd compare`: every solver from the same start on one problem; one table and one plot.
internal static class CompareCommand
{
    internal static Command Create()
    {
        var problem = new Option<string>("--problem") { Description = "hyperclean | replearn | rxgf-toy | quadratic (default hyperclean).", DefaultValueFactory = _ => "hyperclean" };
        var solvers = new Option<string>("--solvers") { Description = "Comma-separated: pbgd-b,pbgd-j,rxgf,f2sa,bome (default all).", DefaultValueFactory = _ => "pbgd-b,pbgd-j,rxgf,f2sa,bome" };
        var iterations = new Option<int>("--iterations") { Description = "Iteration limit of every solver (default 2000).", DefaultValueFactory = _ => 2000 };
        var budget = new Option<double?>("--time-budget") { Description = "Seconds per solver (default none)." };
        var gamma = new Option<string?>("--gamma") { Description = "Penalty schedule of PBGD, also F²SA's multiplier: VALUE | ramp:START:END:STEPS | eps:EPS[:GAMMA0] (default 100; hyper-cleaning 10)." };
        var rxgfEpsilon = new Option<double>("--rxgf-epsilon") { Description = "RXGF's relaxation ε of ‖∇_v g‖² ≤ ε (default 1e-6).", DefaultValueFactory = _ => 1e-6 };
        var rxgfAlpha = new Option<double>("--rxgf-alpha") { Description = "RXGF's α (default 1).", DefaultValueFactory = _ => 1.0 };
        var rxgfStep = new Option<double?>("--rxgf-step") { Description = "RXGF's fixed step η (default: η_k = 1/(ℓ_f + 2λ_k ℓ_g²))." };
        var pbgdOracle = new Option<string>("--pbgd-oracle") { Description = "PBGD's oracle: exact | iterative (default exact where the problem has one).", DefaultValueFactory = _ => "exact" };
        var upperStep = new Option<string>("--upper-step") { Description = "PBGD's upper step: gradient | lbfgs | bb (default gradient); with lbfgs or bb a non-exact oracle solves g by L-BFGS to the line search's tolerance.", DefaultValueFactory = _ => "gradient" };
        var oracleSteps = new Option<int>("--oracle-steps") { Description = "Steps per iteration of the iterative oracle (default 1).", DefaultValueFactory = _ => 1 };
        var dataset = new Option<string?>("--dataset") { Description = HyperCleanOptions.DatasetHelp("hyperclean: data set") };
        var exactSolver = new Option<string>("--exact-solver") { Description = $"hyperclean, squared loss: {Pbgd.LeastSquares.LeastSquaresRegistry.HelpText} (default auto; cg is the fast path on MNIST).", DefaultValueFactory = _ => "auto" };
        var precision = new Option<string>("--precision") { Description = "hyperclean: double | single (float32 X for the cross-entropy passes or the squared model's CG products; default double).", DefaultValueFactory = _ => "double" };
        var loss = new Option<string>("--loss") { Description = "hyperclean: squared | cross-entropy (default squared).", DefaultValueFactory = _ => "squared" };
        var train = new Option<int?>("--train") { Description = "N (hyperclean default 5000; replearn default 3)." };
        var val = new Option<int?>("--val") { Description = "N' (hyperclean default 5000; replearn default 5)." };
        var test = new Option<int?>("--test") { Description = "hyperclean: test samples (default 10000)." };
        var corrupt = new Option<double?>("--corrupt") { Description = "hyperclean: corrupted fraction (default 0.5)." };
        var features = new Option<int>("--features") { Description = "replearn: m (default 6).", DefaultValueFactory = _ => 6 };
        var hidden = new Option<int>("--hidden") { Description = "replearn: h (default 8).", DefaultValueFactory = _ => 8 };
        var outputs = new Option<int>("--outputs") { Description = "replearn: n (default 2).", DefaultValueFactory = _ => 2 };
        var dimension = new Option<int>("--dimension") { Description = "rxgf-toy, quadratic: d (default 20).", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Seed of data, split and start (default 1).", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "MKL threads (default: MKL's choice)." };
        var logEvery = new Option<int>("--log-every") { Description = "Record every k-th iteration (default 1).", DefaultValueFactory = _ => 1 };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where fetched data sets live (default ./data or $PBGD_DATA_DIR)." };
        var output = new Option<string>("--out") { Description = "Output folder (default runs/compare).", DefaultValueFactory = _ => "runs/compare" };
        var command = new Command("compare", "Runs PBGD-B, PBGD-J, RXGF, F²SA and BOME from the same start; writes comparison.md, .csv and .svg.")
        {
            problem, solvers, iterations, budget, gamma, rxgfEpsilon, rxgfAlpha, rxgfStep, pbgdOracle, upperStep, oracleSteps, exactSolver, precision, dataset, loss, train, val, test, corrupt,
            features, hidden, outputs, dimension, seed, threads, logEvery, dataDir, output,
        };
        command.SetAction((p, cancellationToken) =>
        {
            var chosen = BilevelAlgorithms.ParseList(p.GetValue(solvers)!);
            if (p.GetValue(threads) is { } th)
            {
                if (th < 1) throw new ArgumentException($"--threads must be ≥ 1, not {th}.");
                MklLibrary.SetThreads(th);
            }
            string kind = p.GetValue(problem)!;
            int s = p.GetValue(seed);
            ComparisonInstance instance = kind switch
            {
                "replearn" => ComparisonInstances.RepresentationLearning(p.GetValue(train) ?? 3, p.GetValue(val) ?? 5, p.GetValue(features),
                    p.GetValue(hidden), p.GetValue(outputs), s),
                "rxgf-toy" => ComparisonInstances.RxgfToy(Positive(p.GetValue(dimension), "--dimension"), s),
                "quadratic" => ComparisonInstances.ConvexQuadratic(Positive(p.GetValue(dimension), "--dimension"), s),
                "hyperclean" => HyperCleaning(p.GetValue(loss)!, p.GetValue(exactSolver)!, p.GetValue(precision)!, p.GetValue(dataset), p.GetValue(train), p.GetValue(val),
                    p.GetValue(test), p.GetValue(corrupt), s, p.GetValue(dataDir)),
                _ => throw new ArgumentException($"--problem: '{kind}' is not hyperclean, replearn, rxgf-toy or quadratic."),
            };
            var settings = new ComparisonSettings
            {
                Solvers = chosen, MaxIterations = p.GetValue(iterations), LogEvery = p.GetValue(logEvery),
                TimeBudget = p.GetValue(budget) is { } b ? (b > 0 ? TimeSpan.FromSeconds(b) : throw new ArgumentException(FormattableString.Invariant($"--time-budget must be > 0, not {b}."))) : null,
                Gamma = p.GetValue(gamma) ?? (kind == "hyperclean" ? "10" : "100"),
                PbgdExactOracle = p.GetValue(pbgdOracle) switch
                {
                    "exact" => true,
                    "iterative" => false,
                    var other => throw new ArgumentException($"--pbgd-oracle: '{other}' is not exact or iterative."),
                },
                PbgdUpperStep = Solvers.UpperStepRules.Parse(p.GetValue(upperStep)!),
                OracleSteps = p.GetValue(oracleSteps) is var t and >= 1 ? t : throw new ArgumentException("--oracle-steps must be ≥ 1."),
                Rxgf = new RxgfOptions { Epsilon = p.GetValue(rxgfEpsilon), Alpha = p.GetValue(rxgfAlpha), StepSize = p.GetValue(rxgfStep) },
                OnSolverFinished = row => Console.WriteLine($"  {BilevelAlgorithms.Name(row.Solver),-7} {row.Result}"),
            };
            try { settings.Validate(); }
            catch (FormatException e) { throw new ArgumentException($"--gamma: {e.Message}"); }
            Console.WriteLine($"Comparing {string.Join(", ", chosen.Select(BilevelAlgorithms.Name))} on {instance.Name}");
            var report = ComparisonRunner.Run(instance, settings, cancellationToken);
            string dir = p.GetValue(output)!;
            ComparisonOutputs.WriteAll(report, dir);
            ComparisonOutputs.WriteMarkdown(report, Console.Out);
            Console.WriteLine($"table: {Path.GetFullPath(Path.Combine(dir, "comparison.md"))}; plot: {Path.GetFullPath(Path.Combine(dir, "comparison.png"))}");
            return Task.FromResult(cancellationToken.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.Success);
        });
        return command;
    }

    private static int Positive(int value, string name) =>
        value >= 1 ? value : throw new ArgumentException($"{name} must be ≥ 1, not {value}.");

    // The squared model takes our default preset; the logistic one the V-PBGD protocol's data preparation.
    private static ComparisonInstance HyperCleaning(string loss, string exactSolver, string precision, string? dataset, int? train, int? val, int? test, double? corrupt,
        int seed, string? dataDir)
    {
        var config = loss switch
        {
            "squared" => HyperCleaningConfig.Default,
            "cross-entropy" => HyperCleaningConfig.Vpbgd,
            _ => throw new ArgumentException($"--loss: '{loss}' is not squared or cross-entropy."),
        };
        config = config with
        {
            Dataset = dataset ?? config.Dataset, Train = train ?? config.Train, Validation = val ?? config.Validation, Test = test ?? config.Test,
            Corruption = corrupt ?? config.Corruption, Seed = seed,
            ExactSolver = exactSolver, // checked by config.Validate()
            Precision = HyperCleanOptions.ParsePrecision(precision),
        };
        var loaded = config.LoadDataset(dataDir); // validates first
        if (loaded.Fallback is { } fallback) Console.WriteLine(DataCommand.FallbackNote(fallback));
        return ComparisonInstances.HyperCleaning(config, loaded.Data);
    }
}
