using System.CommandLine;
using System.Globalization;
using Pbgd.Data;
using Pbgd.Experiments;
using Pbgd.Experiments.Setup;
using Pbgd.Problems;

namespace Pbgd.Cli.Commands;

/// The options of `pbgd hyperclean`. Every option is nullable: an absent option keeps the preset's value, so
/// explicit options override `--protocol`. Defaults shown are those of the default preset.
internal sealed class HyperCleanOptions
{
    private static readonly HyperCleaningConfig D = HyperCleaningConfig.Default;

    internal Option<string?> Protocol { get; } = new("--protocol") { Description = "Preset: default | vpbgd | benchopt | fast (explicit options override it)." };
    internal Option<string?> Dataset { get; } = new("--dataset") { Description = DatasetHelp("Data set") };
    internal Option<string?> ValFile { get; } = new("--val-file") { Description = "Trusted validation set from its own file (same format as the dataset)." };
    internal Option<string?> Loss { get; } = new("--loss") { Description = "squared | cross-entropy (default squared)." };
    internal Option<string?> Algo { get; } = new("--algo") { Description = $"{BilevelAlgorithms.Choices}: PBGD-B, PBGD-J, RXGF or the F²SA and BOME baselines (default pbgd-b)." };
    internal Option<int?> Train { get; } = new("--train") { Description = $"Training samples N (default {D.Train})." };
    internal Option<int?> Val { get; } = new("--val") { Description = $"Validation samples N' (default {D.Validation})." };
    internal Option<int?> Test { get; } = new("--test") { Description = $"Test samples (default {D.Test})." };
    internal Option<double?> Corrupt { get; } = new("--corrupt") { Description = $"Fraction of training labels redrawn uniformly (default {D.Corruption})." };
    internal Option<string?> Gamma { get; } = new("--gamma") { Description = $"VALUE | ramp:START:END:STEPS | eps:EPS[:GAMMA0] (default {D.Gamma})." };
    internal Option<int?> Iterations { get; } = new("--iterations") { Description = $"Outer iterations (default {D.Iterations})." };
    internal Option<double?> TimeBudget { get; } = new("--time-budget") { Description = "Stop after this many seconds (default none)." };
    internal Option<double?> Tolerance { get; } = new("--tolerance") { Description = "Stop when ‖projected ∇L_γ‖ ≤ tol·(1+|L_γ|) (default none)." };
    internal Option<double?> Step { get; } = new("--step") { Description = "Fixed step α (default: derived from the data)." };
    internal Option<double?> StepScale { get; } = new("--step-scale") { Description = "Multiplier of the derived step (default 1)." };
    internal Option<string?> UpperStep { get; } = new("--upper-step") { Description = "PBGD's upper step: gradient (the papers' fixed step) | lbfgs (projected L-BFGS with a line search) | bb (Barzilai–Borwein, nonmonotone line search) (default gradient)." };
    internal Option<string?> Oracle { get; } = new("--oracle") { Description = "exact | iterative (T gradient steps) | lbfgs (L-BFGS to a tolerance; with --upper-step lbfgs or bb tied to the outer gradient norm) (default exact; the cross-entropy model has none: iterative, or lbfgs under --upper-step lbfgs|bb)." };
    internal Option<double?> InnerTolerance { get; } = new("--inner-tolerance") { Description = "κ in (0, 1) of the inexact inner solves under --upper-step lbfgs|bb: ‖∇_v L_γ‖ ≤ κG (PBGD-B's L-BFGS v-step) and ‖∇_v g‖ ≤ κG/γ (lbfgs oracle), G the last accepted point's projected-gradient norm (default 0.5)." };
    internal Option<double?> InnerFloor { get; } = new("--inner-floor") { Description = "Smallest tolerance of those inner solves, and the lbfgs oracle's own (default 1e-8)." };
    internal Option<int?> OracleSteps { get; } = new("--oracle-steps") { Description = "Iterative oracle steps T per iteration (default 1)." };
    internal Option<string?> ExactSolver { get; } = new("--exact-solver") { Description = $"Squared model's exact solves: {Pbgd.LeastSquares.LeastSquaresRegistry.HelpText} (default auto)." };
    internal Option<double?> CgTolerance { get; } = new("--cg-tolerance") { Description = "Normwise backward error a conjugate-gradient exact solve must reach, in (0, 1e-6] (default 1e-11)." };
    internal Option<double?> Ridge { get; } = new("--ridge") { Description = "Ridge λ of the squared model (default 0)." };
    internal Option<double?> Reg { get; } = new("--reg") { Description = "r in r‖W‖² of the logistic model (default 0)." };
    internal Option<string?> Precision { get; } = new("--precision") { Description = "double | single: X stored as float32 for the cross-entropy model's gradient passes (~1.7× faster per iteration, gradients to ~1e-7 relative) or for the squared model's conjugate-gradient products (chains with cg; accuracy still checked in double); single-only: X_trn kept in float32 alone, half the memory of double data (single keeps both, 1.5×), every double computation done in double on the float values, any exact solver (default double)." };
    internal Option<double?> Radius { get; } = new("--radius") { Description = $"Box radius R of u (default {D.Radius})." };
    internal Option<double?> U0 { get; } = new("--u0") { Description = "Initial value of every u_i (default 0)." };
    internal Option<double?> Holdout { get; } = new("--holdout") { Description = "Fraction of the validation set held out for model selection, in [0, 1) (0: none): f uses the rest, the held-out loss is measured at every logged iteration, and model.csv/weights.csv hold the iterate where it was smallest; summary.json reports it and the last iterate (default 0)." };
    internal Option<int?> Seed { get; } = new("--seed") { Description = $"Seed of split, corruption and synthetic data (default {D.Seed})." };
    internal Option<int?> Threads { get; } = new("--threads") { Description = "MKL and kernel threads (default: MKL's choice; all cores for the kernels)." };
    internal Option<int?> LogEvery { get; } = new("--log-every") { Description = "Record every k-th iteration (default 1)." };
    internal Option<string> Out { get; } = new("--out") { Description = "Output folder (default runs/hyperclean).", DefaultValueFactory = _ => "runs/hyperclean" };
    internal Option<bool?> OfficialTest { get; } = new("--official-test") { Description = "Take the test set from the data set's test file (default: split it off the training file, as V-PBGD)." };
    internal Option<string?> LabelColumn { get; } = new("--label-column") { Description = "CSV label column: header name or 0-based index, −1 = last (default −1)." };
    internal Option<string?> Checkpoint { get; } = new("--checkpoint") { Description = "Folder for checkpoints; resume a killed run with 'pbgd resume DIR' (default: none)." };
    internal Option<int?> CheckpointEvery { get; } = new("--checkpoint-every") { Description = "Iterations between checkpoints (default 100)." };
    internal Option<double?> CheckpointSeconds { get; } = new("--checkpoint-seconds") { Description = "Also checkpoint when this many seconds have passed since the last (default: none)." };
    internal Option<string?> DataDir { get; } = new("--data-dir") { Description = "Where fetched data sets live (default ./data or $PBGD_DATA_DIR)." };

    /// --dataset's help (hyperclean and compare): every source of the registry, its syntax and what it loads.
    internal static string DatasetHelp(string lead) =>
        $"{lead} (default {D.Dataset}):\n" + string.Join("\n", DatasetRegistry.Classification.Choices);

    /// --precision's values (hyperclean and compare).
    internal static DataPrecision ParsePrecision(string value) => value switch
    {
        "double" => DataPrecision.Double,
        "single" => DataPrecision.Single,
        "single-only" => DataPrecision.SingleOnly,
        _ => throw new ArgumentException($"--precision must be double, single or single-only, not '{value}'."),
    };

    internal void AddTo(Command command)
    {
        foreach (var option in new Option[] { Protocol, Dataset, ValFile, Loss, Algo, Train, Val, Test, Corrupt, Gamma, Iterations,
                     TimeBudget, Tolerance, Step, StepScale, UpperStep, Oracle, InnerTolerance, InnerFloor, OracleSteps, ExactSolver, CgTolerance, Ridge, Reg, Precision, Radius, U0, Holdout, Seed, Threads, LogEvery, OfficialTest, LabelColumn, Checkpoint, CheckpointEvery, CheckpointSeconds, Out, DataDir })
            command.Options.Add(option);
    }

    /// The preset, with every explicitly given option applied over it.
    internal HyperCleaningConfig Build(ParseResult p)
    {
        var config = p.GetValue(Protocol) switch
        {
            null or "default" => HyperCleaningConfig.Default,
            "vpbgd" => HyperCleaningConfig.Vpbgd,
            "benchopt" => HyperCleaningConfig.Benchopt,
            "fast" => HyperCleaningConfig.Fast,
            var other => throw new ArgumentException($"--protocol: unknown preset '{other}' (default, vpbgd, benchopt, fast)."),
        };
        if (p.GetValue(Dataset) is { } ds) config = config with { Dataset = ds };
        if (p.GetValue(ValFile) is { } vf) config = config with { ValidationFile = vf };
        if (p.GetValue(Loss) is { } loss)
            config = config with
            {
                Loss = loss switch
                {
                    "squared" => HyperCleaningLoss.Squared,
                    "cross-entropy" => HyperCleaningLoss.CrossEntropy,
                    _ => throw new ArgumentException($"--loss: '{loss}' is not squared or cross-entropy."),
                },
                // The logistic model has its own bias and no exact oracle; follow the loss unless told otherwise.
                BiasFeature = loss == "squared",
                Oracle = p.GetValue(Oracle) ?? (loss == "squared" ? config.Oracle : "iterative"),
            };
        if (p.GetValue(Algo) is { } algo) config = config with { Algorithm = BilevelAlgorithms.Parse(algo) };
        if (p.GetValue(Train) is { } n) config = config with { Train = n };
        if (p.GetValue(Val) is { } nv) config = config with { Validation = nv };
        if (p.GetValue(Test) is { } nt) config = config with { Test = nt };
        if (p.GetValue(Corrupt) is { } cr) config = config with { Corruption = cr };
        if (p.GetValue(Gamma) is { } g) config = config with { Gamma = g };
        if (p.GetValue(Iterations) is { } k) config = config with { Iterations = k };
        if (p.GetValue(TimeBudget) is { } tb) config = config with { TimeBudgetSeconds = tb };
        if (p.GetValue(Tolerance) is { } tol) config = config with { GradientTolerance = tol };
        if (p.GetValue(Step) is { } a) config = config with { StepSize = a, ScaleStepByInverseGamma = config.ScaleStepByInverseGamma };
        if (p.GetValue(StepScale) is { } sc) config = config with { StepScale = sc };
        if (p.GetValue(UpperStep) is { } us)
        {
            config = config with { UpperStep = Solvers.UpperStepRules.Parse(us) };
            // A line search needs accurate gradients: where no exact oracle exists, solve g to its tolerance unless told otherwise.
            if (config.UpperStep != Solvers.UpperStepRule.Gradient && config.Oracle == "iterative" && p.GetValue(Oracle) is null)
                config = config with { Oracle = "lbfgs" };
        }
        if (p.GetValue(Oracle) is { } o) config = config with { Oracle = o };
        if (p.GetValue(InnerTolerance) is { } it) config = config with { InnerToleranceFactor = it };
        if (p.GetValue(InnerFloor) is { } ifl) config = config with { InnerToleranceFloor = ifl };
        if (p.GetValue(OracleSteps) is { } t) config = config with { OracleSteps = t };
        if (p.GetValue(ExactSolver) is { } es) config = config with { ExactSolver = es }; // checked by config.Validate()
        if (p.GetValue(CgTolerance) is { } cgt) config = config with { ConjugateGradientTolerance = cgt };
        if (p.GetValue(Ridge) is { } ridge) config = config with { Ridge = ridge };
        if (p.GetValue(Reg) is { } reg) config = config with { Regularization = reg };
        if (p.GetValue(Precision) is { } precision) config = config with { Precision = ParsePrecision(precision) };
        if (p.GetValue(Radius) is { } r) config = config with { Radius = r };
        if (p.GetValue(U0) is { } u0) config = config with { InitialU = u0 };
        if (p.GetValue(Holdout) is { } holdout) config = config with { Holdout = holdout };
        if (p.GetValue(Seed) is { } seed) config = config with { Seed = seed };
        if (p.GetValue(Threads) is { } th) config = config with { Threads = th };
        if (p.GetValue(LogEvery) is { } le) config = config with { LogEvery = le };
        if (p.GetValue(CheckpointEvery) is { } ce) config = config with { CheckpointEvery = ce };
        if (p.GetValue(CheckpointSeconds) is { } cs) config = config with { CheckpointSeconds = cs };
        if (p.GetValue(OfficialTest) is { } ot) config = config with { OfficialTest = ot };
        if (p.GetValue(LabelColumn) is { } lc) config = config with { LabelColumn = lc };
        config.Validate();
        return config;
    }

    // The sizes are not here: with files they are what the files hold, not the options' values, and the "data:" line
    // printed after loading gives the ones the run uses.
    internal static string Describe(HyperCleaningConfig c) => string.Create(CultureInfo.InvariantCulture,
        $"{c.Protocol}: {c.Loss}, {c.Algorithm}, oracle {c.Oracle}, γ {c.Gamma}, {c.Iterations} iterations, corruption {c.Corruption}{(c.Holdout > 0 ? $", {c.Holdout} of the validation set held out" : "")}{(c.UpperStep != Solvers.UpperStepRule.Gradient ? $", upper step {Solvers.UpperStepRules.Name(c.UpperStep)}" : "")}, seed {c.Seed}");
}
