namespace Pbgd.Solvers;

/// <summary>An RXGF run's result: the common core plus the relaxed constraint's figures at the returned point.</summary>
public sealed class RxgfResult : SolverResult
{
    internal RxgfResult(SolverResultCore core, double epsilon, double multiplier, double kkt) : base(core) =>
        (Epsilon, Multiplier, KktResidual) = (epsilon, multiplier, kkt);

    /// <summary>ε of the relaxed constraint ‖∇_v g‖² ≤ ε.</summary>
    public double Epsilon { get; }

    /// <summary>The multiplier λ of the direction problem at the returned point.</summary>
    public double Multiplier { get; }

    /// <summary>The squared KKT residual at the returned point.</summary>
    public double KktResidual { get; }
}
