using Pbgd.Linalg;

namespace Pbgd.Synthetic;

/// <summary>Seeded hyper-cleaning instances for tests, benchmarks and the CLI's fallback data set (docs/algorithms.md §4).</summary>
public static class HyperCleaningGenerator
{
    /// <summary>
    /// The realistic setting (N ≫ m): Gaussian class clusters in m dimensions, one-hot targets, and a fraction
    /// <paramref name="corruption"/> of training labels redrawn uniformly from the c classes (a redraw that hits
    /// the true label stays clean). The validation set is clean.
    /// </summary>
    /// <param name="train">N, training samples.</param>
    /// <param name="validation">N', validation samples.</param>
    /// <param name="features">m.</param>
    /// <param name="classes">c ≥ 2.</param>
    /// <param name="corruption">Fraction of training labels redrawn, in [0, 1].</param>
    /// <param name="seed">Seed.</param>
    /// <param name="separation">Distance scale between class means relative to the unit noise.</param>
    public static HyperCleaningInstance Realistic(int train, int validation, int features, int classes,
        double corruption, int seed, double separation = 1.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(train, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(validation, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (!(corruption >= 0 && corruption <= 1))
            throw new ArgumentOutOfRangeException(nameof(corruption), corruption, "corruption must lie in [0, 1].");
        var random = new Random(seed);
        var means = new Matrix(classes, features);
        Gaussian.Fill(random, means.Span, separation);
        var (xTrain, trueTrain) = Sample(random, means, train);
        var (xVal, trueVal) = Sample(random, means, validation);
        var observed = (int[])trueTrain.Clone();
        var clean = new bool[train];
        for (int i = 0; i < train; i++)
        {
            if (random.NextDouble() < corruption) observed[i] = random.Next(classes);
            clean[i] = observed[i] == trueTrain[i];
        }
        return new HyperCleaningInstance(xTrain, OneHot(observed, classes), xVal, OneHot(trueVal, classes), clean);
    }

    /// <summary>
    /// <see cref="Realistic"/>'s instance with only training rows [<paramref name="first"/>, <paramref name="first"/> +
    /// <paramref name="count"/>) kept (a data-parallel run's share): the same random draws in the same order, the other
    /// rows drawn and dropped, so the kept rows equal the full instance's to the bit while memory holds only them.
    /// </summary>
    /// <param name="train">N (over every process).</param>
    /// <param name="validation">N'.</param>
    /// <param name="features">m.</param>
    /// <param name="classes">c ≥ 2.</param>
    /// <param name="corruption">Fraction of training labels redrawn, in [0, 1].</param>
    /// <param name="seed">Seed.</param>
    /// <param name="separation">Distance scale between class means relative to the unit noise.</param>
    /// <param name="first">First training row kept.</param>
    /// <param name="count">Training rows kept.</param>
    public static HyperCleaningInstance RealisticRows(int train, int validation, int features, int classes,
        double corruption, int seed, double separation, int first, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(train, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(validation, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (first < 0 || count < 0 || (long)first + count > train)
            throw new ArgumentOutOfRangeException(nameof(count), $"rows [{first}, {(long)first + count}) are not within the {train} training rows.");
        if (!(corruption >= 0 && corruption <= 1))
            throw new ArgumentOutOfRangeException(nameof(corruption), corruption, "corruption must lie in [0, 1].");
        var random = new Random(seed);
        var means = new Matrix(classes, features);
        Gaussian.Fill(random, means.Span, separation);
        var xTrain = new Matrix(count, features);
        var trueTrain = new int[count];
        var scratch = new double[features];
        for (int i = 0; i < train; i++)
        {
            int label = random.Next(classes);
            bool kept = i >= first && i < first + count;
            var row = kept ? xTrain.Row(i - first) : scratch;
            var mean = means.Row(label);
            for (int j = 0; j < features; j++) row[j] = mean[j] + Gaussian.Next(random);
            if (kept) trueTrain[i - first] = label;
        }
        var (xVal, trueVal) = Sample(random, means, validation);
        var observed = (int[])trueTrain.Clone();
        var clean = new bool[count];
        for (int i = 0; i < train; i++)
        {
            bool kept = i >= first && i < first + count;
            if (random.NextDouble() < corruption)
            {
                int label = random.Next(classes);
                if (kept) observed[i - first] = label;
            }
            if (kept) clean[i - first] = observed[i - first] == trueTrain[i - first];
        }
        return new HyperCleaningInstance(xTrain, OneHot(observed, classes), xVal, OneHot(trueVal, classes), clean);
    }

    /// <summary>
    /// [XC24] Thm 3's setting: the N + N' rows of [X_trn; X_val] are mutually orthogonal (m ≥ N + N'), with
    /// random Gaussian targets. There min_W L_γ(u, ·) = 0 for every u and f* = 0.
    /// </summary>
    /// <param name="train">N.</param>
    /// <param name="validation">N'.</param>
    /// <param name="features">m ≥ N + N'.</param>
    /// <param name="outputs">c.</param>
    /// <param name="seed">Seed.</param>
    public static HyperCleaningInstance OrthogonalRows(int train, int validation, int features, int outputs, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(train, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(validation, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        if (features < train + validation)
            throw new ArgumentOutOfRangeException(nameof(features), features, $"Orthogonal rows need m ≥ N + N' = {train + validation}.");
        var random = new Random(seed);
        int rows = train + validation;
        var q = new Matrix(rows, features);
        Gaussian.Fill(random, q.Span);
        // Modified Gram–Schmidt on the rows, then random row norms in [0.5, 2] (orthogonal, not orthonormal).
        for (int i = 0; i < rows; i++)
        {
            var ri = q.Row(i);
            for (int k = 0; k < i; k++)
            {
                var rk = q.Row(k);
                double dot = 0, kk = 0;
                for (int j = 0; j < features; j++) { dot += ri[j] * rk[j]; kk += rk[j] * rk[j]; }
                for (int j = 0; j < features; j++) ri[j] -= dot / kk * rk[j];
            }
            double norm = 0;
            for (int j = 0; j < features; j++) norm += ri[j] * ri[j];
            double scale = (0.5 + 1.5 * random.NextDouble()) / Math.Sqrt(norm);
            for (int j = 0; j < features; j++) ri[j] *= scale;
        }
        var xTrain = new Matrix(train, features, q.Data.AsSpan(0, train * features).ToArray());
        var xVal = new Matrix(validation, features, q.Data.AsSpan(train * features).ToArray());
        var yTrain = new Matrix(train, outputs);
        var yVal = new Matrix(validation, outputs);
        Gaussian.Fill(random, yTrain.Span);
        Gaussian.Fill(random, yVal.Span);
        return new HyperCleaningInstance(xTrain, yTrain, xVal, yVal, null);
    }

    /// <summary>
    /// The tiny realistic instance of the tests (docs/algorithms.md §4): N = 4 training samples in m = 2 dimensions
    /// with scalar targets y = xᵀw + noise, of which 2 are corrupted (target replaced by a far value), and 6
    /// clean validation samples. Small enough for a dense grid search of F(u) = f(W*(u)) over [−R, R]⁴.
    /// </summary>
    /// <param name="seed">Seed.</param>
    public static HyperCleaningInstance Tiny(int seed)
    {
        var random = new Random(seed);
        double[] w = [Gaussian.Next(random), Gaussian.Next(random)];
        Matrix Make(int n, out Matrix y)
        {
            var x = new Matrix(n, 2);
            y = new Matrix(n, 1);
            for (int i = 0; i < n; i++)
            {
                x[i, 0] = Gaussian.Next(random);
                x[i, 1] = Gaussian.Next(random);
                y[i, 0] = x[i, 0] * w[0] + x[i, 1] * w[1] + 0.1 * Gaussian.Next(random);
            }
            return x;
        }
        var xTrain = Make(4, out var yTrain);
        var xVal = Make(6, out var yVal);
        var clean = new[] { true, true, true, true };
        foreach (int i in new[] { 1, 3 })
        {
            // Corrupted target: the negated clean value, pushed away by 2–4 units.
            yTrain[i, 0] = -yTrain[i, 0] + (random.NextDouble() < 0.5 ? -1 : 1) * (2 + 2 * random.NextDouble());
            clean[i] = false;
        }
        return new HyperCleaningInstance(xTrain, yTrain, xVal, yVal, clean);
    }

    private static (Matrix X, int[] Labels) Sample(Random random, Matrix means, int count)
    {
        int classes = means.Rows, features = means.Columns;
        var x = new Matrix(count, features);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = random.Next(classes);
            labels[i] = label;
            var row = x.Row(i);
            var mean = means.Row(label);
            for (int j = 0; j < features; j++) row[j] = mean[j] + Gaussian.Next(random);
        }
        return (x, labels);
    }

    private static Matrix OneHot(int[] labels, int classes)
    {
        var y = new Matrix(labels.Length, classes);
        for (int i = 0; i < labels.Length; i++) y[i, labels[i]] = 1;
        return y;
    }
}
