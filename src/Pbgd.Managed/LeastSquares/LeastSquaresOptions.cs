namespace Pbgd.LeastSquares;

/// <summary>The numerical options of the least-squares solvers (the chain itself is named by a <see cref="LeastSquaresChainSpec"/>).</summary>
public sealed record LeastSquaresOptions
{
    /// <summary>The default of <see cref="ConjugateGradientTolerance"/>: on MNIST's numerically singular Gram matrix the
    /// CG residual wanders between 1e−13 and 1e−11 before settling, so a tighter default costs several steps per solve.</summary>
    public const double DefaultConjugateGradientTolerance = 1e-11;

    /// <summary>Largest normwise backward error ‖R‖_F / (‖A‖_F‖W‖_F + ‖b‖_F) at which a conjugate-gradient solution is
    /// accepted, R recomputed from the data; in (0, 1e−6].</summary>
    public double ConjugateGradientTolerance { get; init; } = DefaultConjugateGradientTolerance;

    /// <summary>Conjugate-gradient steps per round between two true-residual checks (three rounds per attempt); ≥ 1.</summary>
    public int ConjugateGradientMaxSteps { get; init; } = 40;

    /// <summary>Relative threshold below which the SVD solve (gelsd) treats singular values as zero; in (0, 1).</summary>
    public double RankTolerance { get; init; } = 1e-12;

    /// <summary>Whether the conjugate-gradient A·P passes read a float32 copy of X (half the bytes); its true residuals,
    /// and so its acceptance test, stay in double.</summary>
    public bool SinglePrecisionProducts { get; init; }

    /// <summary>Checks every value; the exception names the property.</summary>
    public void Validate()
    {
        if (!(ConjugateGradientTolerance > 0 && ConjugateGradientTolerance <= 1e-6))
            throw new ArgumentOutOfRangeException(nameof(ConjugateGradientTolerance), ConjugateGradientTolerance,
                "The conjugate-gradient tolerance must lie in (0, 1e−6].");
        if (ConjugateGradientMaxSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(ConjugateGradientMaxSteps), ConjugateGradientMaxSteps, "At least one conjugate-gradient step per round.");
        if (!(RankTolerance > 0 && RankTolerance < 1))
            throw new ArgumentOutOfRangeException(nameof(RankTolerance), RankTolerance, "The rank tolerance must lie in (0, 1).");
    }
}
