using Pbgd.Linalg;

namespace Pbgd.Synthetic;

/// <summary>A representation-learning instance with a start.</summary>
/// <param name="XTrain">X_trn, N×m.</param>
/// <param name="YTrain">Y_trn, N×n.</param>
/// <param name="XValidation">X_val, N'×m.</param>
/// <param name="YValidation">Y_val, N'×n.</param>
/// <param name="Hidden">h.</param>
/// <param name="W1">A full-rank start for W1, m×h.</param>
/// <param name="W2">A start for W2, h×n.</param>
public sealed record RepresentationLearningInstance(Matrix XTrain, Matrix YTrain, Matrix XValidation, Matrix YValidation,
    int Hidden, Matrix W1, Matrix W2);

/// <summary>Seeded representation-learning instances (docs/algorithms.md §5).</summary>
public static class RepresentationLearningGenerator
{
    /// <summary>
    /// Standard Gaussian X_trn, X_val (Box–Muller on System.Random(seed), whose seeded sequence is stable across .NET
    /// versions; full row rank with probability one), targets Y = X T + noise·E from one Gaussian teacher T (m×n,
    /// entries of variance 1/m) shared by both sets, so that with noise &gt; 0 validation and training disagree and
    /// f*_gen &gt; 0 (with noise = 0, W = T fits both and f*_gen = 0). The start is Gaussian with entries of variance
    /// 1/h: W1 (m×h, h ≥ m) has full rank m, so X_trn W1 has rank N and the generic-branch certificate applies.
    /// Enforces the measurable setting of docs/algorithms.md §5: N' ≤ m, N ≤ m &lt; N + N', h ≥ max(m, n).
    /// </summary>
    /// <param name="train">N.</param>
    /// <param name="validation">N'.</param>
    /// <param name="features">m.</param>
    /// <param name="hidden">h.</param>
    /// <param name="outputs">n.</param>
    /// <param name="seed">Seed.</param>
    /// <param name="noise">Standard deviation of the target noise.</param>
    public static RepresentationLearningInstance Create(int train, int validation, int features, int hidden, int outputs, int seed, double noise = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(train, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(validation, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        if (!(noise >= 0) || !double.IsFinite(noise))
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "The noise level must be finite and ≥ 0.");
        if (!(validation <= features && train <= features && features < train + validation))
            throw new ArgumentException($"Need N' ≤ m and N ≤ m < N + N' (so that f*_gen > 0); got N = {train}, N' = {validation}, m = {features}.", nameof(features));
        if (hidden < Math.Max(features, outputs))
            throw new ArgumentOutOfRangeException(nameof(hidden), hidden, $"Overparameterised setting needs h ≥ max(m, n) = {Math.Max(features, outputs)}.");
        var random = new Random(seed);
        Matrix Gaussian(int r, int c, double scale)
        {
            var x = new Matrix(r, c);
            Synthetic.Gaussian.Fill(random, x.Span, scale);
            return x;
        }
        var teacher = Gaussian(features, outputs, 1.0 / Math.Sqrt(features));
        Matrix Targets(Matrix x)
        {
            var y = Gaussian(x.Rows, outputs, noise);
            for (int i = 0; i < x.Rows; i++)
                for (int j = 0; j < outputs; j++)
                    for (int k = 0; k < features; k++) y[i, j] += x[i, k] * teacher[k, j];
            return y;
        }
        var xTrain = Gaussian(train, features, 1.0);
        var xVal = Gaussian(validation, features, 1.0);
        return new RepresentationLearningInstance(xTrain, Targets(xTrain), xVal, Targets(xVal), hidden,
            Gaussian(features, hidden, 1.0 / Math.Sqrt(hidden)), Gaussian(hidden, outputs, 1.0 / Math.Sqrt(hidden)));
    }
}
