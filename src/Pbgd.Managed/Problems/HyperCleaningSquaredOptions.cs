using Pbgd.LeastSquares;

namespace Pbgd.Problems;

/// <summary>Model options of squared-loss hyper-cleaning (docs/algorithms.md §4). The problem's checkpoint fingerprint is
/// derived from this record, so every option here counts.</summary>
public sealed record HyperCleaningSquaredOptions
{
    /// <summary>Ridge λ in g (½λ‖W‖²); 0 for none.</summary>
    public double Ridge { get; init; }

    /// <summary>Box radius R of U = [−R, R]^N (ψ' vanishes at ±∞, so U must be compact).</summary>
    public double Radius { get; init; } = 10;

    /// <summary>
    /// <see cref="DataPrecision.Single"/>: the conjugate-gradient solver's A·P passes read a float32 copy of X_trn
    /// (half the bytes, 16 lanes per FMA); its true residuals, and so its accuracy test, stay in double.
    /// </summary>
    public DataPrecision Precision { get; init; } = DataPrecision.Double;

    /// <summary>Relative threshold below which the SVD solve (gelsd) treats singular values as zero.</summary>
    public double RankTolerance { get; init; } = 1e-12;

    /// <summary>
    /// The chain of exact least-squares solvers (<see cref="LeastSquaresChainSpec"/>): a preset — "auto" (the default:
    /// normal equations, conjugate gradients for 50 solves after they are rejected, then QR and SVD), "cg" or "qr" — or
    /// a comma-separated list of registered solvers ("normal,cg,svd"); <see cref="LeastSquaresRegistry"/> lists both.
    /// <see cref="LowerSolveInfo.Solver"/> says which solver produced each solution.
    /// </summary>
    public string ExactSolver { get; init; } = "auto";

    /// <summary>Largest normwise backward error ‖R‖_F / (‖A‖_F‖W‖_F + ‖b‖_F) of the normal equations at which a
    /// conjugate-gradient solution is accepted (default 1e−11); a solve that cannot reach it goes to the next solver of
    /// the chain.</summary>
    public double ConjugateGradientTolerance { get; init; } = DefaultConjugateGradientTolerance;

    /// <summary>The default of <see cref="ConjugateGradientTolerance"/>.</summary>
    public const double DefaultConjugateGradientTolerance = LeastSquaresOptions.DefaultConjugateGradientTolerance;

    /// <summary>The options of the least-squares solvers these imply (derived, so not serialised).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public LeastSquaresOptions LeastSquares => new()
    {
        ConjugateGradientTolerance = ConjugateGradientTolerance, RankTolerance = RankTolerance,
        SinglePrecisionProducts = Precision is DataPrecision.Single or DataPrecision.SingleOnly,
    };

    internal void Validate()
    {
        LeastSquares.Validate();
        if (!Enum.IsDefined(Precision)) throw new ArgumentOutOfRangeException(nameof(Precision), Precision, "Unknown data precision.");
        if (!(Ridge >= 0) || double.IsInfinity(Ridge))
            throw new ArgumentOutOfRangeException(nameof(Ridge), Ridge, "The ridge must be finite and ≥ 0.");
        if (!(Radius > 0) || double.IsInfinity(Radius))
            throw new ArgumentOutOfRangeException(nameof(Radius), Radius, "The radius must be finite and > 0.");
        ArgumentNullException.ThrowIfNull(ExactSolver);
        try { _ = LeastSquaresChainSpec.Parse(ExactSolver); }
        catch (ArgumentException e) { throw new ArgumentException($"ExactSolver: {e.Message}", nameof(ExactSolver), e); }
    }
}
