namespace Pbgd.Solvers;

/// <summary>
/// Called after every iteration's evaluation with its record and the point it was measured at (u, and v after
/// PBGD-B's v-step). The spans are the solver's own buffers: read them, do not keep them.
/// </summary>
/// <param name="record">The iteration's measurements.</param>
/// <param name="u">The upper variable at that point.</param>
/// <param name="v">The lower variable at that point.</param>
public delegate void IterationObserver(in IterationRecord record, ReadOnlySpan<double> u, ReadOnlySpan<double> v);
