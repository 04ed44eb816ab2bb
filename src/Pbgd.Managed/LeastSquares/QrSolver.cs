using Pbgd.Checkpoints;
using Pbgd.Native;

namespace Pbgd.LeastSquares;

/// <summary>
/// Householder QR (LAPACK gels) on the stacked, √ψ-scaled rows (<see cref="StackedRows"/>), registered as "qr":
/// backward stable, O((N + N')m²) per solve, and it needs a scaled copy of X. It takes neither system 2 at γ = 0 (only
/// the validation rows remain, rank-deficient for that call alone) nor a system with fewer rows than features. When
/// gels meets an exactly singular triangular factor, that system's design is rank-deficient for good (the weights
/// rescale rows; they cannot restore a column), so from then on QR leaves that system to the next solver.
/// </summary>
public sealed class QrSolver : ILeastSquaresSolver
{
    internal const string RegistryName = "qr";

    internal static LeastSquaresRegistry.SolverEntry Registration { get; } = new(RegistryName,
        "Householder QR (gels) on the √ψ-scaled rows; once a system proves rank-deficient it leaves that system to the next solver",
        _ => "QR (gels)", ReadsSinglePrecisionCopy: false, context => new QrSolver(context.Data, context.Stacked));

    private readonly StackedRows _stacked;
    private readonly int _m, _c;
    private bool _lowerRankDeficient, _penalizedRankDeficient;

    internal QrSolver(LeastSquaresData data, StackedRows stacked) =>
        (_stacked, _m, _c) = (stacked, data.FeatureCount, data.OutputCount);

    /// <inheritdoc />
    public string Name => RegistryName;

    /// <summary>Whether gels found system 1's (system 2's) design rank-deficient.</summary>
    public (bool Lower, bool Penalized) RankDeficient => (_lowerRankDeficient, _penalizedRankDeficient);

    /// <inheritdoc />
    public bool Accepts(LeastSquaresSystem system) =>
        !(system.IsPenalized ? system.Gamma == 0 || _penalizedRankDeficient : _lowerRankDeficient) && _stacked.Count(system) >= _m;

    /// <inheritdoc />
    public bool TrySolve(LeastSquaresSystem system, Span<double> solution, out int rank)
    {
        StackedRows.RequireOneProcess(_stacked, "QR");
        int rows = _stacked.Fill(system);
        try
        {
            Lapack.Gels(Transpose.NoTrans, rows, _m, _c, _stacked.A, _m, _stacked.B, _c);
        }
        catch (MatrixSingularException)
        {
            if (system.IsPenalized) _penalizedRankDeficient = true;
            else _lowerRankDeficient = true;
            rank = -1;
            return false;
        }
        _stacked.B.AsSpan(0, _m * _c).CopyTo(solution);
        rank = _m;
        return true;
    }

    /// <summary>What a checkpoint keeps: which systems QR found rank-deficient.</summary>
    /// <param name="LowerRankDeficient">System 1's design.</param>
    /// <param name="PenalizedRankDeficient">System 2's design.</param>
    public sealed record State(bool LowerRankDeficient, bool PenalizedRankDeficient);

    /// <inheritdoc />
    public System.Text.Json.Nodes.JsonNode SaveState() => StateJson.ToNode(new State(_lowerRankDeficient, _penalizedRankDeficient));

    /// <inheritdoc />
    public void RestoreState(System.Text.Json.Nodes.JsonNode state)
    {
        var s = StateJson.FromNode<State>(state, "the QR solver's state");
        (_lowerRankDeficient, _penalizedRankDeficient) = (s.LowerRankDeficient, s.PenalizedRankDeficient);
    }
}
