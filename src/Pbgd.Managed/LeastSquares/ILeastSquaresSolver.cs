using Pbgd.Checkpoints;

namespace Pbgd.LeastSquares;

/// <summary>
/// A solver of the weighted least-squares systems (<see cref="LeastSquaresSystem"/>), one link of a
/// <see cref="LeastSquaresChain"/>. Its state (<see cref="IResumable"/>) is whatever its next answers depend on besides
/// their arguments (warm starts, a rank deficiency it has met), so a checkpoint can carry it.
/// </summary>
public interface ILeastSquaresSolver : IResumable
{
    /// <summary>The name it is registered under (<see cref="LeastSquaresRegistry"/>).</summary>
    string Name { get; }

    /// <summary>
    /// Whether the system is one this solver takes at all; false sends it to the next link without an attempt (e.g. QR
    /// and conjugate gradients leave system 2 at γ = 0, where only the validation rows remain, to the SVD).
    /// </summary>
    /// <param name="system">The system.</param>
    bool Accepts(LeastSquaresSystem system);

    /// <summary>Solves the system, or reports that it could not produce a solution it vouches for.</summary>
    /// <param name="system">The system (one the solver <see cref="Accepts"/>).</param>
    /// <param name="solution">W, m×c row-major; unspecified when false is returned.</param>
    /// <param name="rank">The number of features the solution determines (kept features or numerical rank); m when
    /// it is unique.</param>
    /// <returns>False when rejected (conditioning check, tolerance missed, rank deficiency): the chain asks the next link.</returns>
    bool TrySolve(LeastSquaresSystem system, Span<double> solution, out int rank);
}

/// <summary>A solution of a <see cref="LeastSquaresChain"/>.</summary>
/// <param name="Solver">The name of the solver that produced it.</param>
/// <param name="Rank">Features determined (kept features or numerical rank).</param>
/// <param name="FullRank">Whether the design had full rank, so the solution is unique.</param>
public readonly record struct LeastSquaresSolution(string Solver, int Rank, bool FullRank);
