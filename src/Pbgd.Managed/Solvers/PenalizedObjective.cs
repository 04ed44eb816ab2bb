using Pbgd.Optimization;

namespace Pbgd.Solvers;

/// <summary>
/// PBGD's evaluation as a differentiable objective for the box minimisers: for PBGD-B over u, φ_γ(u) = L_γ(u, v_γ(u))
/// with ∇φ_γ = ∇_u f + γ(∇_u g(u, v_γ) − ∇_u g(u, ω)) (Danskin, twice; exact when the v-step and the oracle are); for
/// PBGD-J over (u, v), L_γ(u, v) with ω from the oracle at u. Each evaluation runs the solver's own measurement, so its
/// side effects (the v-step, ω) belong to the last point evaluated, and its record is kept for that point.
/// </summary>
internal sealed class PenalizedObjective(PbgdSolver solver, PbgdState state, bool joint, Pbgd.Distributed.VectorLayout layout) : IDifferentiableObjective
{
    /// <inheritdoc />
    public Pbgd.Distributed.VectorLayout Layout => layout;

    private readonly int _n = state.U.Length;
    private readonly double[] _lastPoint = new double[state.U.Length + (joint ? state.V.Length : 0)];

    public int Dimension => _lastPoint.Length;

    /// <summary>γ of the objective being minimised.</summary>
    internal double Gamma { get; set; } = double.NaN;

    /// <summary>The record of the last evaluation (valid for <see cref="LastPoint"/>).</summary>
    internal IterationRecord LastRecord { get; set; }

    /// <summary>Whether <see cref="LastRecord"/> belongs to a point at all.</summary>
    internal bool HasLast { get; set; }

    internal double[] LastPoint => _lastPoint;

    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        x[.._n].CopyTo(state.U);
        if (joint) x[_n..].CopyTo(state.V);
        var record = solver.EvaluatePoint(state, Gamma);
        state.DirectionU.CopyTo(gradient[.._n]);
        if (joint) state.DirectionV.CopyTo(gradient[_n..]);
        x.CopyTo(_lastPoint);
        LastRecord = record;
        HasLast = true;
        return record.Penalized;
    }

    /// <summary>Whether the last evaluation was at <paramref name="x"/> (its record and side effects are then x's).</summary>
    internal bool LastWasAt(ReadOnlySpan<double> x) => HasLast && x.SequenceEqual(_lastPoint);
}
