namespace Pbgd.Problems;

/// <summary>Model options of squared-loss hyper-cleaning (docs/algorithms.md §4).</summary>
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

    /// <summary>Relative threshold below which gelsd treats singular values as zero (minimum-norm fallback).</summary>
    public double RankTolerance { get; init; } = 1e-12;

    /// <summary>How the exact lower-level solves are done (see <see cref="HyperCleaningExactSolver"/>).</summary>
    public HyperCleaningExactSolver ExactSolver { get; init; } = HyperCleaningExactSolver.Auto;

    /// <summary>Largest normwise backward error ‖R‖_F / (‖A‖_F‖W‖_F + ‖b‖_F) of the normal equations that a
    /// conjugate-gradient solve must reach to be accepted (default 1e−11): every solve of
    /// <see cref="HyperCleaningExactSolver.ConjugateGradient"/>, and those of <see cref="HyperCleaningExactSolver.Auto"/>
    /// whose normal equations were rejected. A solve that cannot reach it goes to the direct solvers (cg: normal
    /// equations, then QR/SVD; Auto: QR/SVD). Not used by <see cref="HyperCleaningExactSolver.Qr"/>.</summary>
    public double ConjugateGradientTolerance { get; init; } = DefaultConjugateGradientTolerance;

    /// <summary>The default of <see cref="ConjugateGradientTolerance"/>.</summary>
    public const double DefaultConjugateGradientTolerance = PcgNormalEquations.DefaultTolerance;

    internal void Validate()
    {
        if (!(ConjugateGradientTolerance > 0 && ConjugateGradientTolerance <= 1e-6))
            throw new ArgumentOutOfRangeException(nameof(ConjugateGradientTolerance), ConjugateGradientTolerance,
                "The conjugate-gradient tolerance must lie in (0, 1e−6].");
        if (!Enum.IsDefined(Precision)) throw new ArgumentOutOfRangeException(nameof(Precision), Precision, "Unknown data precision.");
        if (!(Ridge >= 0) || double.IsInfinity(Ridge))
            throw new ArgumentOutOfRangeException(nameof(Ridge), Ridge, "The ridge must be finite and ≥ 0.");
        if (!(Radius > 0) || double.IsInfinity(Radius))
            throw new ArgumentOutOfRangeException(nameof(Radius), Radius, "The radius must be finite and > 0.");
        if (!(RankTolerance > 0 && RankTolerance < 1))
            throw new ArgumentOutOfRangeException(nameof(RankTolerance), RankTolerance, "The rank tolerance must lie in (0, 1).");
    }
}

/// <summary>The method of squared-loss hyper-cleaning's exact weighted least-squares solves (docs/algorithms.md §4).</summary>
public enum HyperCleaningExactSolver
{
    /// <summary>Normal equations with Cholesky (one blocked syrk per iteration, no copy of X, all-zero feature
    /// columns given zero weights, one refinement step). When the conditioning check rejects them (a numerically
    /// singular Gram matrix, as on MNIST), the conjugate gradients of <see cref="ConjugateGradient"/> (created the
    /// first time they are needed, so well-conditioned problems never pay for them; not for the penalized solve at
    /// γ = 0, as with cg), accepted only at <see cref="HyperCleaningSquaredOptions.ConjugateGradientTolerance"/>; QR/SVD when
    /// those miss it too. <see cref="LowerSolveInfo.Method"/> says which produced each solution.</summary>
    Auto,
    /// <summary>Always Householder QR (gels) on the √ψ-scaled rows, SVD (gelsd) when rank-deficient: most robust,
    /// slower, and it needs a scaled copy of X.</summary>
    Qr,
    /// <summary>Conjugate gradients on the normal equations, warm-started from the previous solutions and
    /// preconditioned by a Cholesky factor refreshed every few solves; one pass over X_trn per step, both solves of
    /// a PBGD-B iteration side by side. Each solve is accepted only when its normwise backward error, recomputed from
    /// the data, is at most <see cref="HyperCleaningSquaredOptions.ConjugateGradientTolerance"/>; otherwise the normal equations
    /// and then QR/SVD (<see cref="Auto"/>'s direct solvers) solve it. All-zero feature columns get zero weights
    /// (minimum norm).</summary>
    ConjugateGradient,
}
