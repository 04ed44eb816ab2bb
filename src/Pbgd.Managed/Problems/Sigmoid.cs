namespace Pbgd.Problems;

/// <summary>The sample weight ψ(u) = 1/(1 + e^{−u}) of hyper-cleaning and its derivatives.</summary>
public static class Sigmoid
{
    /// <summary>Largest |ψ''| = 1/(6√3), attained at u = ±ln(2 + √3).</summary>
    public const double MaxSecondDerivative = 0.096225044864937627;

    /// <summary>ψ(u), evaluated without overflow for large |u|.</summary>
    /// <param name="u">The logit.</param>
    public static double Value(double u)
    {
        if (u >= 0) return 1.0 / (1.0 + Math.Exp(-u));
        double e = Math.Exp(u);
        return e / (1.0 + e);
    }

    /// <summary>ψ'(u) = ψ(u)(1 − ψ(u)).</summary>
    /// <param name="u">The logit.</param>
    public static double Derivative(double u)
    {
        double p = Value(u);
        return p * (1.0 - p);
    }
}
