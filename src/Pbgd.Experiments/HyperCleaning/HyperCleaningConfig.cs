using Pbgd.Data;
using Pbgd.Experiments.Setup;
using Pbgd.Schedules;
using Pbgd.Validation;

namespace Pbgd.Experiments;

/// <summary>The loss of the hyper-cleaning model.</summary>
public enum HyperCleaningLoss
{
    /// <summary>Squared loss, exact oracle ([XC24]'s model).</summary>
    Squared,
    /// <summary>Multinomial logistic, iterative oracle (V-PBGD, benchopt).</summary>
    CrossEntropy,
}

/// <summary>
/// Every value of a hyper-cleaning run. The CLI fills it from presets and options and writes it into
/// summary.json, from which <c>pbgd rerun</c> rebuilds the same run.
/// </summary>
public sealed record HyperCleaningConfig
{
    /// <summary>Named preset the values came from ("default", "vpbgd", "benchopt", "fast").</summary>
    public string Protocol { get; init; } = "default";
    /// <summary>The data set, a spec of <see cref="DatasetRegistry.Classification"/>: mnist, fashion-mnist, idx:DIR,
    /// libsvm:TRAIN[,TEST], csv:FILE or synthetic.</summary>
    public string Dataset { get; init; } = "mnist";
    /// <summary>A trusted validation file, or null to split it from the training data.</summary>
    public string? ValidationFile { get; init; }
    /// <summary>Take the test set from the data set's own test file (benchopt) instead of the training file (V-PBGD).</summary>
    public bool OfficialTest { get; init; }
    /// <summary>CSV: the label column, by header name or 0-based index (−1 = last).</summary>
    public string LabelColumn { get; init; } = "-1";
    /// <summary>The model's loss.</summary>
    public HyperCleaningLoss Loss { get; init; } = HyperCleaningLoss.Squared;
    /// <summary>PBGD variant.</summary>
    public BilevelAlgorithm Algorithm { get; init; } = BilevelAlgorithm.Blockwise;
    /// <summary>Training samples N.</summary>
    public int Train { get; init; } = 5000;
    /// <summary>Validation samples N'.</summary>
    public int Validation { get; init; } = 5000;
    /// <summary>Test samples.</summary>
    public int Test { get; init; } = 10000;
    /// <summary>Fraction of training labels redrawn uniformly.</summary>
    public double Corruption { get; init; } = 0.5;
    /// <summary>Feature scaling.</summary>
    public FeatureScaling Scaling { get; init; } = FeatureScaling.Divide255;
    /// <summary>Add a constant feature (the squared model's bias; the logistic model has its own).</summary>
    public bool BiasFeature { get; init; } = true;
    /// <summary>Penalty schedule, in the CLI's syntax (VALUE, ramp:START:END:STEPS, eps:EPS[:GAMMA0]).</summary>
    public string Gamma { get; init; } = "10";
    /// <summary>Outer iterations.</summary>
    public int Iterations { get; init; } = 100;
    /// <summary>Time budget in seconds, or null.</summary>
    public double? TimeBudgetSeconds { get; init; }
    /// <summary>Stop when the projected-gradient norm of L_γ ≤ tol·(1 + |L_γ|); null to run all iterations.</summary>
    public double? GradientTolerance { get; init; }
    /// <summary>Fixed step α (null: derived from the data).</summary>
    public double? StepSize { get; init; }
    /// <summary>Multiply the step by min(1, 1/γ) (V-PBGD).</summary>
    public bool ScaleStepByInverseGamma { get; init; }
    /// <summary>Multiplier of the derived step.</summary>
    public double StepScale { get; init; } = 1.0;
    /// <summary>PBGD's upper step: the fixed gradient step, or projected L-BFGS / Barzilai–Borwein with a line search.</summary>
    public Pbgd.Solvers.UpperStepRule UpperStep { get; init; } = Pbgd.Solvers.UpperStepRule.Gradient;
    /// <summary>Lower-level oracle: "exact", "iterative" (T gradient steps) or "lbfgs" (L-BFGS to a tolerance that a line-search
    /// upper step ties to its gradient norm).</summary>
    public string Oracle { get; init; } = "exact";
    /// <summary>Iterative oracle: steps per call T.</summary>
    public int OracleSteps { get; init; } = 1;
    /// <summary>Iterative oracle: step β (null: 1/ℓ_g).</summary>
    public double? OracleStepSize { get; init; }
    /// <summary>Iterative oracle: warm start.</summary>
    public bool WarmStart { get; init; } = true;
    /// <summary>Line-search upper steps: κ of the inexact inner solves' tolerances, ‖∇_v L_γ‖ ≤ κG and ‖∇_v g‖ ≤ κG/γ with G the
    /// last accepted point's projected-gradient norm (--inner-tolerance).</summary>
    public double InnerToleranceFactor { get; init; } = new Pbgd.Solvers.PbgdOptions().InnerToleranceFactor;
    /// <summary>Line-search upper steps: the inner solves' smallest tolerance (--inner-floor); also the lbfgs oracle's tolerance.</summary>
    public double InnerToleranceFloor { get; init; } = new Pbgd.Solvers.PbgdOptions().InnerToleranceFloor;
    /// <summary>The squared model's chain of exact solvers (--exact-solver): a preset (auto, cg, qr) or a comma-separated
    /// list of solvers (Pbgd.LeastSquares.LeastSquaresChainSpec).</summary>
    public string ExactSolver { get; init; } = "auto";

    /// <summary>Backward-error tolerance of the conjugate-gradient exact solves (--cg-tolerance).</summary>
    public double ConjugateGradientTolerance { get; init; } = Pbgd.Problems.HyperCleaningSquaredOptions.DefaultConjugateGradientTolerance;

    /// <summary>Storage of X for the cross-entropy model's passes, or for the squared model's cg products
    /// (--precision double | single).</summary>
    public Pbgd.Problems.DataPrecision Precision { get; init; } = Pbgd.Problems.DataPrecision.Double;

    /// <summary>Squared model: ridge λ.</summary>
    public double Ridge { get; init; }
    /// <summary>Logistic model: r in r‖W‖².</summary>
    public double Regularization { get; init; }
    /// <summary>Box radius R.</summary>
    public double Radius { get; init; } = 10;
    /// <summary>Initial value of every u_i.</summary>
    public double InitialU { get; init; }
    /// <summary>Fraction of the validation set held out for model selection (0: none): f is computed on the rest, the held-out
    /// loss of the model is measured at every logged iteration, and the outputs hold the iterate where it was smallest
    /// (--holdout).</summary>
    public double Holdout { get; init; }
    /// <summary>Seed of the split, corruption and synthetic data.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>MKL threads (0: MKL's default).</summary>
    public int Threads { get; init; }
    /// <summary>Record every k-th iteration.</summary>
    public int LogEvery { get; init; } = 1;
    /// <summary>With a checkpoint folder: write a checkpoint every k iterations (and at the stop).</summary>
    public int CheckpointEvery { get; init; } = 100;
    /// <summary>With a checkpoint folder: also write one when this many seconds have passed since the last (null: no time rule).</summary>
    public double? CheckpointSeconds { get; init; }

    /// <summary>The parsed penalty schedule (derived from <see cref="Gamma"/>, so not serialised).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public PenaltySchedule PenaltySchedule => PenaltySchedule.Parse(Gamma);

    /// <summary>How the data are split, corrupted and scaled (derived, so not serialised); the squared model gets the
    /// bias column when <see cref="BiasFeature"/> is set, the logistic model has its own intercept.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public PreparationSpec Preparation =>
        new(Train, Validation, Test, Corruption, Scaling, Seed, BiasFeature && Loss == HyperCleaningLoss.Squared);

    /// <summary>The parsed <see cref="Dataset"/> (derived, so not serialised).</summary>
    /// <exception cref="InvalidValueException">Not a spec of <see cref="DatasetRegistry.Classification"/> (ParamName
    /// <c>Dataset</c>; the message lists the valid specs).</exception>
    [System.Text.Json.Serialization.JsonIgnore]
    public DatasetSpec DatasetSpec => DatasetRegistry.Classification.Parse(Dataset, nameof(Dataset));

    /// <summary>What the data source needs besides the spec: the preparation, the validation file, the official test
    /// set and the CSV label column.</summary>
    /// <param name="dataRoot">Where fetched data sets live (null: $PBGD_DATA_DIR, else ./data).</param>
    public ClassificationRequest DatasetRequest(string? dataRoot) => new(Preparation)
    {
        ValidationFile = ValidationFile, OfficialTest = OfficialTest, Reading = new ReadOptions { LabelColumn = LabelColumn }, DataRoot = dataRoot,
    };

    /// <summary>Checks the configuration, then loads, splits, corrupts and scales its data set through
    /// <see cref="DatasetRegistry.Classification"/>. An unfetched mnist or fashion-mnist comes back as the embedded
    /// synthetic set, with <see cref="LoadedDataset.Fallback"/> saying where it was looked for.</summary>
    /// <param name="dataRoot">Where fetched data sets live (null: $PBGD_DATA_DIR, else ./data).</param>
    public LoadedDataset LoadDataset(string? dataRoot)
    {
        Validate();
        return DatasetRegistry.Classification.Load(DatasetSpec, DatasetRequest(dataRoot));
    }

    /// <summary>Our defaults: squared loss, PBGD-B with the exact oracle, γ = 10.</summary>
    public static HyperCleaningConfig Default { get; } = new();

    /// <summary>
    /// The V-PBGD protocol (docs/algorithms.md §4): 5 000/5 000/10 000 from the training file, 50 % corruption,
    /// pixels/255, logistic model with bias, PBGD-J with one warm-started oracle step β = 0.01,
    /// α = 0.1·min(1, 1/γ), γ ramp 0 → 0.2 over 30 000 steps, 40 000 iterations, r = 0, u⁰ = 0, metrics every 10.
    /// </summary>
    public static HyperCleaningConfig Vpbgd { get; } = new()
    {
        Protocol = "vpbgd", Loss = HyperCleaningLoss.CrossEntropy, Algorithm = BilevelAlgorithm.Jacobi,
        Train = 5000, Validation = 5000, Test = 10000, Corruption = 0.5, Scaling = FeatureScaling.Divide255,
        BiasFeature = false, Gamma = "ramp:0:0.2:30000", Iterations = 40000, StepSize = 0.1,
        ScaleStepByInverseGamma = true, Oracle = "iterative", OracleSteps = 1, OracleStepSize = 0.01,
        WarmStart = true, Regularization = 0, InitialU = 0, LogEvery = 10,
    };

    /// <summary>
    /// benchopt's bilevel hyper-cleaning protocol: 20 000 train / 5 000 validation from the training file, the
    /// official test file, standardised features, no bias, r = 0.2, u⁰ = −2, corruption 0.5; solved with our
    /// default solver for the logistic model (PBGD-B, iterative oracle).
    /// </summary>
    public static HyperCleaningConfig Benchopt { get; } = new()
    {
        Protocol = "benchopt", Loss = HyperCleaningLoss.CrossEntropy, Algorithm = BilevelAlgorithm.Blockwise, OfficialTest = true,
        Train = 20000, Validation = 5000, Test = 10000, Corruption = 0.5, Scaling = FeatureScaling.Standardize,
        BiasFeature = false, Regularization = 0.2, InitialU = -2, Oracle = "iterative", OracleSteps = 10,
        Gamma = "10", Iterations = 1000,
    };

    /// <summary>
    /// The fast cross-entropy protocol (issue 14): the V-PBGD data (5 000/5 000/10 000 from the training file, 50 %
    /// corruption, pixels/255, logistic model with bias), solved by PBGD-B with projected L-BFGS on φ_γ, the v-step and the
    /// oracle by warm-started L-BFGS to tolerances tied to the outer gradient norm (docs/algorithms.md §3a); γ = 1, r = 10⁻³,
    /// 20 % of the validation set held out to select the iterate, 6 iterations (measured: the held-out loss is smallest at
    /// iteration 2 and rises after it; results/ce-fast.md).
    /// </summary>
    public static HyperCleaningConfig Fast { get; } = new()
    {
        Protocol = "fast", Loss = HyperCleaningLoss.CrossEntropy, Algorithm = BilevelAlgorithm.Blockwise,
        Train = 5000, Validation = 5000, Test = 10000, Corruption = 0.5, Scaling = FeatureScaling.Divide255, BiasFeature = false,
        UpperStep = Pbgd.Solvers.UpperStepRule.Lbfgs, Oracle = "lbfgs", Gamma = "1", Regularization = 1e-3, Iterations = 6,
        InitialU = 0, LogEvery = 1, Holdout = 0.2,
    };

    /// <summary>Checks every value.</summary>
    /// <exception cref="InvalidValueException">A value is refused; ParamName names the property, the message says in
    /// words what is accepted.</exception>
    public void Validate()
    {
        Preparation.Validate(); // Train, Validation, Test, Corruption, Scaling: the same names here and there
        _ = DatasetSpec;
        try { _ = PenaltySchedule; }
        catch (FormatException e) { throw new InvalidValueException(nameof(Gamma), e.Message, e); }
        if (Iterations < 0) throw Invalid(nameof(Iterations), $"the iteration count must be ≥ 0, not {Iterations}.");
        if (TimeBudgetSeconds is { } t && !(t > 0)) throw Invalid(nameof(TimeBudgetSeconds), $"the time budget must be > 0 seconds, not {t}.");
        if (!(Radius > 0) || double.IsInfinity(Radius)) throw Invalid(nameof(Radius), $"the box radius must be finite and > 0, not {Radius}.");
        if (!(Ridge >= 0)) throw Invalid(nameof(Ridge), $"the ridge must be ≥ 0, not {Ridge}.");
        if (!(Regularization >= 0)) throw Invalid(nameof(Regularization), $"the regularization must be ≥ 0, not {Regularization}.");
        if (Oracle is not ("exact" or "iterative" or "lbfgs")) throw Invalid(nameof(Oracle), $"the lower-level oracle must be exact, iterative or lbfgs, not '{Oracle}'.");
        if (!(InnerToleranceFactor > 0 && InnerToleranceFactor < 1)) throw Invalid(nameof(InnerToleranceFactor), $"the inner tolerance factor κ must lie in (0, 1), not {InnerToleranceFactor}.");
        if (!(InnerToleranceFloor > 0 && double.IsFinite(InnerToleranceFloor))) throw Invalid(nameof(InnerToleranceFloor), $"the inner solves' floor must be finite and > 0, not {InnerToleranceFloor}.");
        if (Oracle == "exact" && Loss == HyperCleaningLoss.CrossEntropy)
            throw Invalid(nameof(Oracle), $"the cross-entropy model has no exact lower-level solution: its oracle must be iterative or lbfgs.");
        if (!Enum.IsDefined(Precision)) throw Invalid(nameof(Precision), $"the data precision must be double or single, not {Precision}.");
        Pbgd.LeastSquares.LeastSquaresChainSpec chain;
        try { chain = Pbgd.LeastSquares.LeastSquaresChainSpec.Parse(ExactSolver ?? ""); }
        catch (ArgumentException e) { throw new InvalidValueException(nameof(ExactSolver), e.Message, e); }
        if (Precision == Pbgd.Problems.DataPrecision.Single && Loss == HyperCleaningLoss.Squared
            && !Pbgd.LeastSquares.LeastSquaresRegistry.ReadsSinglePrecisionCopy(chain))
            throw Invalid(nameof(Precision),
                $"single precision applies to the cross-entropy model and to the squared model's solvers that read a float32 copy of X ({string.Join(", ", Pbgd.LeastSquares.LeastSquaresRegistry.Solvers.Where(s => s.ReadsSinglePrecisionCopy).Select(s => s.Name))}), whose accuracy test stays in double; the exact solver {ExactSolver} needs double data.");
        if (!(Holdout >= 0 && Holdout < 1)) throw Invalid(nameof(Holdout), $"the held-out fraction of the validation set must lie in [0, 1), not {Holdout}.");
        if (Holdout > 0)
        {
            int held = (int)Math.Round(Holdout * Validation, MidpointRounding.AwayFromZero);
            if (held < 1 || held > Validation - 1)
                throw Invalid(nameof(Holdout), $"a held-out fraction of {Holdout} holds out {held} of {Validation} validation rows; both parts need at least one.");
        }
        if (!double.IsFinite(InitialU)) throw Invalid(nameof(InitialU), $"the initial weight u⁰ must be finite, not {InitialU}.");
        if (Threads < 0) throw Invalid(nameof(Threads), $"the thread count must be ≥ 0 (0: MKL's choice), not {Threads}.");
        if (LogEvery < 1) throw Invalid(nameof(LogEvery), $"the recording interval must be ≥ 1 iteration, not {LogEvery}.");
        if (CheckpointSeconds is { } cs && !(cs > 0)) throw Invalid(nameof(CheckpointSeconds), $"the checkpoint interval must be > 0 seconds, not {cs}.");
        if (CheckpointEvery < 1) throw Invalid(nameof(CheckpointEvery), $"the checkpoint interval must be ≥ 1 iteration, not {CheckpointEvery}.");
    }

    // Numbers in messages are written the same way on every machine.
    private static InvalidValueException Invalid(string paramName, FormattableString message) => InvalidValueException.Invariant(paramName, message);
}
