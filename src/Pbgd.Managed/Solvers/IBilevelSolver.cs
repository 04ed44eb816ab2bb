using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>
/// The contract every Pbgd solver keeps, so a comparison runner or a command can hold any of them: run from a start,
/// resume from a checkpoint, and return a <see cref="SolverResult"/> that says why it stopped. Step-by-step control
/// (<c>Init</c>/<c>Step</c> with the solver's own typed state) is on <see cref="BilevelSolver{TState}"/>.
/// </summary>
public interface IBilevelSolver
{
    /// <summary>The solver's name ("PBGD-B", "PBGD-J", "RXGF", "F2SA", "BOME").</summary>
    string Name { get; }

    /// <summary>The problem it solves.</summary>
    IBilevelProblem Problem { get; }

    /// <summary>The options (the solver's own derived record).</summary>
    SolverOptions Options { get; }

    /// <summary>A fingerprint of everything in the options (and oracle) that shapes the iterates.</summary>
    string OptionsFingerprint { get; }

    /// <summary>Runs from (u⁰, v⁰) until a stopping rule fires.</summary>
    /// <param name="u0">Initial upper variable (projected onto U).</param>
    /// <param name="v0">Initial lower variable.</param>
    /// <param name="cancellationToken">Stops the run cleanly (reason <see cref="StopReason.Cancelled"/>).</param>
    SolverResult Run(ReadOnlySpan<double> u0, ReadOnlySpan<double> v0, CancellationToken cancellationToken = default);

    /// <summary>Continues a run from a checkpoint; the iterates are bit-identical to an uninterrupted run's (same machine,
    /// thread count and MKL reproducibility mode).</summary>
    /// <param name="checkpoint">A checkpoint of this solver's options on this problem's data.</param>
    /// <param name="cancellationToken">Stops the run cleanly.</param>
    /// <exception cref="ArgumentException">The checkpoint comes from another solver, other options or other data.</exception>
    SolverResult Resume(SolverCheckpoint checkpoint, CancellationToken cancellationToken = default);
}
