using Pbgd.Linalg;

namespace Pbgd.LeastSquares;

/// <summary>
/// The data of the two weighted least-squares systems (<see cref="LeastSquaresSystem"/>): training rows [X | Y], weighted
/// per solve, and validation rows [X_val | Y_val]. The solvers keep references, not copies: the matrices must not change
/// while a chain built on them is in use.
/// </summary>
public sealed class LeastSquaresData
{
    /// <summary>Wraps the matrices; the shapes must agree (each mismatch names the argument).</summary>
    /// <param name="xTrain">X, N×m.</param>
    /// <param name="yTrain">Y, N×c.</param>
    /// <param name="xValidation">X_val, N'×m.</param>
    /// <param name="yValidation">Y_val, N'×c.</param>
    public LeastSquaresData(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation)
        : this(xTrain, yTrain, xValidation, yValidation, null)
    {
    }

    /// <summary>The data of a run whose training rows are spread over processes: <paramref name="xTrain"/> and
    /// <paramref name="yTrain"/> hold this process's rows of the shard, the validation set is every process's.</summary>
    /// <param name="xTrain">This process's rows of X_trn.</param>
    /// <param name="yTrain">This process's rows of Y_trn.</param>
    /// <param name="xValidation">X_val (all of it).</param>
    /// <param name="yValidation">Y_val (all of it).</param>
    /// <param name="shard">The training rows this process holds, and the others' processes (null: all, one process).</param>
    public LeastSquaresData(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation, Pbgd.Distributed.RowShard? shard)
        : this(new Kernels.TrainRows(xTrain ?? throw new ArgumentNullException(nameof(xTrain))), yTrain, xValidation, yValidation, shard)
    {
    }

    /// <summary>The data with X_trn kept in single precision only (the float-only storage mode): the solvers widen each
    /// row to double where their double path computes, so they solve the systems of X_trn rounded to float.</summary>
    /// <param name="xTrain">This process's rows of X_trn, in float.</param>
    /// <param name="yTrain">This process's rows of Y_trn.</param>
    /// <param name="xValidation">X_val (all of it, double).</param>
    /// <param name="yValidation">Y_val.</param>
    /// <param name="shard">The training rows this process holds (null: all, one process).</param>
    public LeastSquaresData(Pbgd.Linalg.SingleRows xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation, Pbgd.Distributed.RowShard? shard)
        : this(new Kernels.TrainRows(xTrain ?? throw new ArgumentNullException(nameof(xTrain))), yTrain, xValidation, yValidation, shard)
    {
    }

    private LeastSquaresData(Kernels.TrainRows xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation, Pbgd.Distributed.RowShard? shard)
    {
        Rows = xTrain;
        ArgumentNullException.ThrowIfNull(yTrain);
        ArgumentNullException.ThrowIfNull(xValidation);
        ArgumentNullException.ThrowIfNull(yValidation);
        if (xTrain.Rows == 0 || xTrain.Columns == 0 || yTrain.Columns == 0)
            throw new ArgumentException("The training set is empty.", nameof(xTrain));
        if (yTrain.Rows != xTrain.Rows)
            throw new ArgumentException($"yTrain has {yTrain.Rows} rows but xTrain has {xTrain.Rows}.", nameof(yTrain));
        if (xValidation.Columns != xTrain.Columns)
            throw new ArgumentException($"xValidation has {xValidation.Columns} features but xTrain has {xTrain.Columns}.", nameof(xValidation));
        if (yValidation.Rows != xValidation.Rows || yValidation.Columns != yTrain.Columns)
            throw new ArgumentException(
                $"yValidation is {yValidation.Rows}×{yValidation.Columns}; expected {xValidation.Rows}×{yTrain.Columns}.", nameof(yValidation));
        (_xTrain, YTrain, XValidation, YValidation) = (xTrain.Double, yTrain, xValidation, yValidation);
        Shard = shard ?? Pbgd.Distributed.RowShard.Local(xTrain.Rows);
        if (Shard.Rows != xTrain.Rows)
            throw new ArgumentException($"the shard holds {Shard.Rows} rows but xTrain has {xTrain.Rows}.", nameof(shard));
    }

    /// <summary>The training rows this process holds (all of them in an ordinary run): every sum over training rows goes
    /// through it, so a data-parallel run's solves equal one process's to the bit.</summary>
    public Pbgd.Distributed.RowShard Shard { get; }

    /// <summary>X, N×m.</summary>
    public Matrix XTrain => _xTrain ?? throw new InvalidOperationException("X_trn is kept in single precision only (the float-only storage mode): there is no double copy.");

    private readonly Matrix? _xTrain;

    /// <summary>X_trn as stored (double, or float only), for the solvers.</summary>
    internal Kernels.TrainRows Rows { get; }

    /// <summary>Y, N×c.</summary>
    public Matrix YTrain { get; }

    /// <summary>X_val, N'×m.</summary>
    public Matrix XValidation { get; }

    /// <summary>Y_val, N'×c.</summary>
    public Matrix YValidation { get; }

    /// <summary>N, the number of weighted rows (the length of the weights).</summary>
    public int TrainCount => Rows.Rows;

    /// <summary>N', the number of validation rows.</summary>
    public int ValidationCount => XValidation.Rows;

    /// <summary>m, the number of features (rows of W).</summary>
    public int FeatureCount => Rows.Columns;

    /// <summary>c, the number of outputs (columns of W).</summary>
    public int OutputCount => YTrain.Columns;
}
