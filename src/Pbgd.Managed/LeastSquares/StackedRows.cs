namespace Pbgd.LeastSquares;

/// <summary>
/// The stacked, scaled copy of a system that QR and the SVD solve factor in place (docs/algorithms.md §4 (a)):
/// <code>
/// system 1:  rows √ψ_i·[x_iᵀ | y_iᵀ], then √λ·I_m against zeros
/// system 2:  rows [X_val | Y_val], then √(γψ_i)·[x_iᵀ | y_iᵀ], then √(γλ)·I_m against zeros
/// </code>
/// One copy serves both solvers (LAPACK overwrites it, so each fills it before its call); it is allocated when a solve
/// first needs it, so chains that never reach QR or the SVD never pay for a copy of X.
/// </summary>
internal sealed class StackedRows(LeastSquaresData data)
{
    private readonly int _n = data.TrainCount, _nVal = data.ValidationCount, _m = data.FeatureCount, _c = data.OutputCount;

    /// <summary>The stacked design, <see cref="Count"/>(system) rows of m (row-major).</summary>
    internal double[] A { get; private set; } = [];

    /// <summary>The stacked copy holds one process's rows: a solve on rows spread over processes would be wrong, so it is
    /// refused, naming the solver and the chains that work there.</summary>
    internal static void RequireOneProcess(StackedRows stacked, string solver)
    {
        if (stacked._shard.IsDistributed)
            throw new NotSupportedException(
                $"the {solver} exact solver needs every training row in one process; with the rows spread over {stacked._shard.Communicator.Size} processes use the normal equations or conjugate gradients (--exact-solver normal,cg or cg,normal).");
    }

    private readonly Pbgd.Distributed.RowShard _shard = data.Shard;

    /// <summary>The stacked right-hand sides, at least m rows of c; the solution is left in its first m rows.</summary>
    internal double[] B { get; private set; } = [];

    /// <summary>The number of stacked rows of a system.</summary>
    /// <param name="system">The system.</param>
    internal int Count(LeastSquaresSystem system)
    {
        var (validationRows, _, ridge) = Layout(system);
        return validationRows + _shard.GlobalRows + (ridge > 0 ? _m : 0); // the same answer on every process
    }

    /// <summary>Writes the stacked system into <see cref="A"/> and <see cref="B"/>; returns its number of rows.</summary>
    /// <param name="system">The system.</param>
    internal int Fill(LeastSquaresSystem system)
    {
        var (validationRows, scale, ridge) = Layout(system);
        // Room for either system at this ridge (B needs m rows for the solution); grown only if the ridge appears later.
        int capacity = Math.Max(_nVal + _n + (system.Ridge > 0 ? _m : 0), _m);
        if (A.Length < capacity * _m)
        {
            A = new double[capacity * _m];
            B = new double[capacity * _c];
        }
        int row = 0;
        if (validationRows > 0)
        {
            data.XValidation.Span.CopyTo(A);
            data.YValidation.Span.CopyTo(B);
            row = validationRows;
        }
        var x = data.Rows;
        var y = data.YTrain.Span;
        var weights = system.Weights;
        for (int i = 0; i < _n; i++, row++)
        {
            double s = Math.Sqrt(scale * weights[i]);
            x.RowScaled(i, s, A.AsSpan(row * _m, _m));
            for (int j = 0; j < _c; j++) B[row * _c + j] = s * y[i * _c + j];
        }
        if (ridge > 0)
        {
            double s = Math.Sqrt(ridge);
            for (int j = 0; j < _m; j++, row++)
            {
                A.AsSpan(row * _m, _m).Clear();
                A[row * _m + j] = s;
                B.AsSpan(row * _c, _c).Clear();
            }
        }
        return row;
    }

    // Validation rows, the scale of the weighted rows and the ridge of the stacked identity.
    private (int ValidationRows, double Scale, double Ridge) Layout(LeastSquaresSystem system) =>
        system.IsPenalized ? (_nVal, system.Gamma, system.Gamma * system.Ridge) : (0, 1.0, system.Ridge);
}
