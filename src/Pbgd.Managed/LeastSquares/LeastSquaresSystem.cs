namespace Pbgd.LeastSquares;

/// <summary>
/// One of the two weighted least-squares systems of squared-loss hyper-cleaning (docs/algorithms.md §4), at given
/// weights ψ_i ≥ 0 (the sigmoid weights of hyper-cleaning lie in (0, 1)), ridge λ ≥ 0 and, for system 2, penalty γ ≥ 0:
/// <code>
/// system 1 (lower):      W*(ψ) = argmin_W ½Σ_i ψ_i‖y_i − Wᵀx_i‖² + ½λ‖W‖²
/// system 2 (penalized):  argmin_W ½‖Y_val − X_val W‖² + γ·(system 1's objective)
/// </code>
/// W is m×c, row-major. A solution is a function of these values and the data only.
/// </summary>
public readonly ref struct LeastSquaresSystem
{
    private LeastSquaresSystem(ReadOnlySpan<double> weights, double ridge, double gamma)
    {
        if (!(ridge >= 0) || double.IsInfinity(ridge))
            throw new ArgumentOutOfRangeException(nameof(ridge), ridge, "The ridge must be finite and ≥ 0.");
        Weights = weights;
        Ridge = ridge;
        Gamma = gamma;
    }

    /// <summary>System 1, W*(ψ).</summary>
    /// <param name="weights">ψ, one weight per training row.</param>
    /// <param name="ridge">λ ≥ 0.</param>
    public static LeastSquaresSystem Lower(ReadOnlySpan<double> weights, double ridge) => new(weights, ridge, double.NaN);

    /// <summary>System 2, argmin f + γg.</summary>
    /// <param name="weights">ψ, one weight per training row.</param>
    /// <param name="gamma">γ ≥ 0 (finite).</param>
    /// <param name="ridge">λ ≥ 0.</param>
    public static LeastSquaresSystem Penalized(ReadOnlySpan<double> weights, double gamma, double ridge)
    {
        if (!(gamma >= 0) || double.IsInfinity(gamma))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "γ must be finite and ≥ 0.");
        return new(weights, ridge, gamma);
    }

    /// <summary>ψ, the weights of the training rows.</summary>
    public ReadOnlySpan<double> Weights { get; }

    /// <summary>λ.</summary>
    public double Ridge { get; }

    /// <summary>γ of system 2; NaN for system 1.</summary>
    public double Gamma { get; }

    /// <summary>Whether this is system 2.</summary>
    public bool IsPenalized => !double.IsNaN(Gamma);

    /// <summary>"system 1" or "system 2 (γ = …)", for messages.</summary>
    public override string ToString() => IsPenalized ? FormattableString.Invariant($"system 2 (γ = {Gamma:R})") : "system 1";
}
