namespace Pbgd.Checkpoints;

/// <summary>
/// A problem with internal state that shapes its future answers (e.g. the warm starts of an iterative exact solver),
/// which a checkpoint must carry for a bit-identical resume.
/// </summary>
public interface IResumableProblem
{
    /// <summary>The state, as numbers.</summary>
    double[] SaveState();

    /// <summary>Restores a state from <see cref="SaveState"/>; an empty state (a checkpoint written before the
    /// problem had one) leaves the problem as it is.</summary>
    /// <param name="state">The saved numbers.</param>
    void RestoreState(ReadOnlySpan<double> state);
}
