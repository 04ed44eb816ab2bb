using Pbgd.Experiments.Setup;
using Pbgd.Data;
using Pbgd.Validation;

namespace Pbgd.Experiments;

/// <summary>Every value of a representation-learning run (<c>pbgd replearn</c>).</summary>
public sealed record RepresentationLearningConfig
{
    /// <summary>The data, a spec of <see cref="DatasetRegistry.Regression"/>: synthetic, or csv:XTRAIN,YTRAIN,XVAL,YVAL
    /// (four numeric matrices).</summary>
    public string Data { get; init; } = "synthetic";
    /// <summary>Synthetic: N.</summary>
    public int Train { get; init; } = 3;
    /// <summary>Synthetic: N'.</summary>
    public int Validation { get; init; } = 5;
    /// <summary>Synthetic: m.</summary>
    public int Features { get; init; } = 6;
    /// <summary>h (also for CSV data).</summary>
    public int Hidden { get; init; } = 8;
    /// <summary>Synthetic: n.</summary>
    public int Outputs { get; init; } = 2;
    /// <summary>PBGD variant (PBGD-J is the theory's choice here: joint PL).</summary>
    public BilevelAlgorithm Algorithm { get; init; } = BilevelAlgorithm.Jacobi;
    /// <summary>exact or iterative.</summary>
    public string Oracle { get; init; } = "exact";
    /// <summary>Iterative oracle steps per iteration.</summary>
    public int OracleSteps { get; init; } = 10;
    /// <summary>Penalty schedule (CLI syntax).</summary>
    public string Gamma { get; init; } = "100";
    /// <summary>Outer iterations.</summary>
    public int Iterations { get; init; } = 100_000;
    /// <summary>Stop when L_γ − min L_γ ≤ tol·max(1, min L_γ) (generic-branch certificate; constant γ only).</summary>
    public double? Tolerance { get; init; } = 1e-8;
    /// <summary>Multiplier of the derived step.</summary>
    public double StepScale { get; init; } = 1.0;
    /// <summary>PBGD's upper step: L-BFGS with a line search (the default: here the optimum is the goal, and it needs
    /// 46–235 iterations where the papers' fixed step needs 4 456–381 059 for γ = 10–1000), BB, or the fixed step.</summary>
    public Pbgd.Solvers.UpperStepRule UpperStep { get; init; } = Pbgd.Solvers.UpperStepRule.Lbfgs;
    /// <summary>Seed of the synthetic data and start.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Record every k-th iteration.</summary>
    public int LogEvery { get; init; } = 100;

    /// <summary>The parsed <see cref="Data"/> (derived, so not serialised).</summary>
    /// <exception cref="InvalidValueException">Not a spec of <see cref="DatasetRegistry.Regression"/> (ParamName
    /// <c>Data</c>; the message lists the valid specs).</exception>
    [System.Text.Json.Serialization.JsonIgnore]
    public DatasetSpec DataSpec => DatasetRegistry.Regression.Parse(Data, nameof(Data));

    /// <summary>What the data source needs besides the spec: the generated instance's sizes, h and the seed.</summary>
    public RegressionRequest DataRequest => new(Train, Validation, Features, Outputs, Hidden, Seed);

    /// <summary>Checks every value.</summary>
    /// <exception cref="InvalidValueException">A value is refused; ParamName names the property, the message says in
    /// words what is accepted.</exception>
    public void Validate()
    {
        if (Algorithm is not (BilevelAlgorithm.Jacobi or BilevelAlgorithm.Blockwise))
            throw Invalid(nameof(Algorithm), $"representation learning runs PBGD-J or PBGD-B, not {Algorithm}.");
        if (Hidden < 1) throw Invalid(nameof(Hidden), $"the hidden width h must be ≥ 1, not {Hidden}.");
        if (Iterations < 0) throw Invalid(nameof(Iterations), $"the iteration count must be ≥ 0, not {Iterations}.");
        if (Oracle is not ("exact" or "iterative")) throw Invalid(nameof(Oracle), $"the lower-level oracle must be exact or iterative, not '{Oracle}'.");
        if (OracleSteps < 1) throw Invalid(nameof(OracleSteps), $"the iterative oracle needs at least 1 step, not {OracleSteps}.");
        if (Tolerance is { } t && !(t > 0)) throw Invalid(nameof(Tolerance), $"the tolerance must be > 0, not {t}.");
        if (!(StepScale > 0)) throw Invalid(nameof(StepScale), $"the step multiplier must be > 0, not {StepScale}.");
        if (LogEvery < 1) throw Invalid(nameof(LogEvery), $"the recording interval must be ≥ 1 iteration, not {LogEvery}.");
        try { _ = Schedules.PenaltySchedule.Parse(Gamma); }
        catch (FormatException e) { throw new InvalidValueException(nameof(Gamma), e.Message, e); }
        _ = DataSpec;
    }

    // Numbers in messages are written the same way on every machine.
    private static InvalidValueException Invalid(string paramName, FormattableString message) => InvalidValueException.Invariant(paramName, message);
}
