namespace Pbgd.Optimization;

/// <summary>
/// Everything that determines a minimiser's next iterates, bit for bit (work buffers excepted: they are
/// overwritten before use). <see cref="BoxMinimizer.SaveState"/> copies it out; <see cref="BoxMinimizer.Restore"/>
/// copies it into a minimiser built with the same objective, box and options, which then continues exactly as
/// the saved one would have. Plain properties and arrays, so it serialises as JSON.
/// </summary>
public abstract record MinimizerState
{
    /// <summary>The current point x.</summary>
    public required double[] Point { get; init; }

    /// <summary>∇f at <see cref="Point"/>.</summary>
    public required double[] Gradient { get; init; }

    /// <summary>f at <see cref="Point"/>.</summary>
    public required double Value { get; init; }

    /// <summary>The projected-gradient norm at the start point (the scale of the relative tolerance).</summary>
    public required double InitialProjectedGradientNorm { get; init; }

    /// <summary>Work counts so far.</summary>
    public required MinimizerCounts Counts { get; init; }

    /// <summary>The stop status (<see cref="StopReason.None"/> while running).</summary>
    public required StopReason Status { get; init; }

    /// <summary>Which convergence test passed, if any.</summary>
    public required ConvergenceCriterion Criterion { get; init; }
}

/// <summary>The state of a <see cref="ProjectedLbfgs"/> run.</summary>
public sealed record ProjectedLbfgsState : MinimizerState
{
    /// <summary>The steps s_j, one row of n per memory slot (Memory × n, row-major).</summary>
    public required double[] Steps { get; init; }

    /// <summary>The gradient changes y_j, laid out as <see cref="Steps"/>.</summary>
    public required double[] GradientChanges { get; init; }

    /// <summary>The slot of the newest pair.</summary>
    public required int Newest { get; init; }

    /// <summary>The number of pairs held (≤ Memory).</summary>
    public required int Count { get; init; }

    /// <summary>The initial inverse-Hessian scale γ = sᵀy/yᵀy of the newest pair (before any pair: 1/‖pg‖₂).</summary>
    public required double Scaling { get; init; }
}

/// <summary>The state of a <see cref="SpectralProjectedGradient"/> run.</summary>
public sealed record SpectralProjectedGradientState : MinimizerState
{
    /// <summary>The spectral (Barzilai–Borwein) step λ for the next iteration.</summary>
    public required double SpectralStep { get; init; }

    /// <summary>The last accepted values, a ring of NonmonotoneWindow slots.</summary>
    public required double[] RecentValues { get; init; }

    /// <summary>The slot of the newest value.</summary>
    public required int Newest { get; init; }

    /// <summary>The number of values held (≤ NonmonotoneWindow).</summary>
    public required int Count { get; init; }
}
