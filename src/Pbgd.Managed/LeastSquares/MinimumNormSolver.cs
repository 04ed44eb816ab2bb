using Pbgd.Checkpoints;
using Pbgd.Native;

namespace Pbgd.LeastSquares;

/// <summary>
/// The minimum-norm least-squares solution by SVD (LAPACK gelsd) on the stacked, √ψ-scaled rows
/// (<see cref="StackedRows"/>), registered as "svd": singular values below <see cref="LeastSquaresOptions.RankTolerance"/>
/// times the largest count as zero, and the numerical rank is reported. It takes every system and always answers, so it
/// ends the built-in chains.
/// </summary>
public sealed class MinimumNormSolver : ILeastSquaresSolver
{
    internal const string RegistryName = "svd";

    internal static LeastSquaresRegistry.SolverEntry Registration { get; } = new(RegistryName,
        "minimum-norm SVD solve (gelsd) on the √ψ-scaled rows; takes every system and always answers",
        _ => "minimum-norm SVD (gelsd)", ReadsSinglePrecisionCopy: false,
        context => new MinimumNormSolver(context.Data, context.Stacked, context.Options.RankTolerance));

    private readonly StackedRows _stacked;
    private readonly int _m, _c;
    private readonly double _rankTolerance;
    private readonly double[] _singular;

    internal MinimumNormSolver(LeastSquaresData data, StackedRows stacked, double rankTolerance)
    {
        (_stacked, _m, _c, _rankTolerance) = (stacked, data.FeatureCount, data.OutputCount, rankTolerance);
        _singular = new double[_m];
    }

    /// <inheritdoc />
    public string Name => RegistryName;

    /// <inheritdoc />
    public bool Accepts(LeastSquaresSystem system) => true;

    /// <inheritdoc />
    public bool TrySolve(LeastSquaresSystem system, Span<double> solution, out int rank)
    {
        StackedRows.RequireOneProcess(_stacked, "SVD");
        int rows = _stacked.Fill(system);
        rank = Lapack.Gelsd(rows, _m, _c, _stacked.A, _m, _stacked.B, _c, _singular, _rankTolerance);
        _stacked.B.AsSpan(0, _m * _c).CopyTo(solution);
        return true;
    }

    /// <summary>No state: every solve starts from the data.</summary>
    public System.Text.Json.Nodes.JsonNode SaveState() => new System.Text.Json.Nodes.JsonObject();

    /// <inheritdoc />
    public void RestoreState(System.Text.Json.Nodes.JsonNode state)
    {
        if (state is not System.Text.Json.Nodes.JsonObject { Count: 0 })
            throw new InvalidDataException("the SVD solver has no state: expected {}.");
    }
}
