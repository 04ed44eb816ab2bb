using Pbgd.Linalg;
using Pbgd.Problems;

namespace Pbgd.Experiments;

/// <summary>
/// Held-out model selection (<see cref="HyperCleaningConfig.Holdout"/>): the loss of the current model on validation rows
/// the outer objective never sees, measured at every logged iteration, and a copy of the iterate (u, v) where it was
/// smallest. The loss is f's own on the held-out rows: the mean cross-entropy (1/N_h) Σ_j ℓ_j for the logistic model,
/// ½‖Y_h − X_h W‖² for the squared one (a sum, as f is). Ties keep the earlier iterate. Buffers are allocated here, so
/// observing allocates nothing.
/// </summary>
public sealed class ModelSelection
{
    private readonly IBilevelProblem _problem;
    private readonly HyperCleaningLoss _loss;
    private readonly Matrix _x, _y;
    private readonly double[] _scores, _u, _v;

    /// <summary>Creates the selection for a problem and its held-out rows.</summary>
    /// <param name="loss">The model's loss.</param>
    /// <param name="problem">The problem the run solves (its model scores the held-out rows).</param>
    /// <param name="xHoldout">Held-out features.</param>
    /// <param name="yHoldout">Held-out one-hot targets.</param>
    public ModelSelection(HyperCleaningLoss loss, IBilevelProblem problem, Matrix xHoldout, Matrix yHoldout)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(xHoldout);
        ArgumentNullException.ThrowIfNull(yHoldout);
        if (xHoldout.Rows != yHoldout.Rows || xHoldout.Rows < 1)
            throw new ArgumentException($"the held-out set has {xHoldout.Rows} feature rows and {yHoldout.Rows} target rows.", nameof(yHoldout));
        (_loss, _problem, _x, _y) = (loss, problem, xHoldout, yHoldout);
        _scores = new double[xHoldout.Rows * yHoldout.Columns];
        _u = new double[problem.UpperDimension];
        _v = new double[problem.LowerDimension];
    }

    /// <summary>Held-out rows.</summary>
    public int Rows => _x.Rows;

    /// <summary>The selected iterate's figures (null before the first observation).</summary>
    public IterateQuality? Selected { get; private set; }

    /// <summary>u of the selected iterate.</summary>
    public ReadOnlySpan<double> U => _u;

    /// <summary>v of the selected iterate.</summary>
    public ReadOnlySpan<double> V => _v;

    /// <summary>The held-out loss of the model v.</summary>
    /// <param name="v">The lower variable (the model).</param>
    public double Loss(ReadOnlySpan<double> v)
    {
        HyperCleaningExperiment.Scores(_problem, _x, v, _scores);
        int c = _y.Columns;
        double total = 0;
        for (int i = 0; i < _x.Rows; i++)
        {
            var s = _scores.AsSpan(i * c, c);
            var y = _y.Row(i);
            if (_loss == HyperCleaningLoss.CrossEntropy)
            {
                double max = double.NegativeInfinity, yz = 0, ySum = 0;
                for (int j = 0; j < c; j++)
                {
                    max = Math.Max(max, s[j]);
                    yz += y[j] * s[j];
                    ySum += y[j];
                }
                double sum = 0;
                for (int j = 0; j < c; j++) sum += Math.Exp(s[j] - max);
                total += ySum * (max + Math.Log(sum)) - yz;
            }
            else
            {
                for (int j = 0; j < c; j++) total += 0.5 * (y[j] - s[j]) * (y[j] - s[j]);
            }
        }
        return _loss == HyperCleaningLoss.CrossEntropy ? total / _x.Rows : total;
    }

    /// <summary>Takes an observed iterate: keeps a copy when its held-out loss is the smallest so far.</summary>
    /// <param name="quality">Its figures (the held-out loss from <see cref="Loss"/>).</param>
    /// <param name="u">Its u.</param>
    /// <param name="v">Its v.</param>
    /// <returns>Whether it became the selected iterate.</returns>
    public bool Observe(in IterateQuality quality, ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        if (Selected is { } best && !(quality.HoldoutLoss < best.HoldoutLoss)) return false;
        if (!double.IsFinite(quality.HoldoutLoss)) return false;
        u.CopyTo(_u);
        v.CopyTo(_v);
        Selected = quality;
        return true;
    }

    /// <summary>What a checkpoint keeps: the selected iterate and its figures.</summary>
    /// <param name="Selected">Its figures (null: none yet).</param>
    /// <param name="U">Its u.</param>
    /// <param name="V">Its v.</param>
    internal sealed record State(IterateQuality? Selected, double[] U, double[] V);

    internal State Save() => new(Selected, _u.ToArray(), _v.ToArray());

    internal void Restore(State state)
    {
        if (state.U?.Length != _u.Length || state.V?.Length != _v.Length)
            throw new InvalidDataException($"the checkpoint's selected iterate has {state.U?.Length} + {state.V?.Length} numbers; this problem's u and v have {_u.Length} + {_v.Length}.");
        state.U.CopyTo(_u, 0);
        state.V.CopyTo(_v, 0);
        Selected = state.Selected;
    }
}

/// <summary>The figures of one iterate of a hyper-cleaning run (null where not measured).</summary>
/// <param name="Iteration">Its iteration.</param>
/// <param name="UpperObjective">f there (on the optimisation part of the validation set).</param>
/// <param name="HoldoutLoss">The held-out loss there.</param>
/// <param name="TestAccuracy">Test accuracy.</param>
/// <param name="CleanPrecision">Cleaning precision.</param>
/// <param name="CleanRecall">Cleaning recall.</param>
/// <param name="CleanF1">Cleaning F1.</param>
public readonly record struct IterateQuality(int Iteration, double UpperObjective, double HoldoutLoss, double? TestAccuracy,
    double? CleanPrecision, double? CleanRecall, double? CleanF1);
