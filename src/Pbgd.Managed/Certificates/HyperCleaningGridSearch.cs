using Pbgd.Linalg;
using Pbgd.Problems;

namespace Pbgd.Certificates;

/// <summary>
/// The global minimum of the nested hyper-cleaning objective F(u) = f(W*(u)) over the box [−R, R]^N for tiny
/// instances (docs/algorithms.md §4), by a dense grid search. W*(u) is solved here by managed normal equations,
/// independently of the LAPACK path the solvers use, so it can certify them.
/// </summary>
public sealed class HyperCleaningGridSearch
{
    private readonly Matrix _xTrain, _yTrain, _xVal, _yVal;
    private readonly double _ridge, _radius;
    private readonly int _n, _m, _c;
    private readonly double[] _gram, _rhs, _w;

    /// <summary>Creates the search for a (tiny) squared-loss hyper-cleaning instance.</summary>
    /// <param name="xTrain">X_trn, N×m.</param>
    /// <param name="yTrain">Y_trn, N×c.</param>
    /// <param name="xValidation">X_val, N'×m.</param>
    /// <param name="yValidation">Y_val, N'×c.</param>
    /// <param name="options">Ridge and radius (as the problem's).</param>
    public HyperCleaningGridSearch(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation, HyperCleaningSquaredOptions? options = null)
    {
        HyperCleaningDataValidator.Validate(xTrain, yTrain, xValidation, yValidation);
        options ??= new HyperCleaningSquaredOptions();
        (_xTrain, _yTrain, _xVal, _yVal) = (xTrain, yTrain, xValidation, yValidation);
        (_ridge, _radius) = (options.Ridge, options.Radius);
        (_n, _m, _c) = (xTrain.Rows, xTrain.Columns, yTrain.Columns);
        _gram = new double[_m * _m];
        _rhs = new double[_m * _c];
        _w = new double[_m * _c];
    }

    /// <summary>F(u) = ½‖Y_val − X_val W*(u)‖², W*(u) from the normal equations (XᵀΨX + λI)W = XᵀΨY.</summary>
    /// <param name="u">Upper variable, length N.</param>
    public double Evaluate(ReadOnlySpan<double> u)
    {
        if (u.Length != _n) throw new ArgumentException($"u has {u.Length} elements; expected {_n}.", nameof(u));
        Array.Clear(_gram);
        Array.Clear(_rhs);
        for (int i = 0; i < _n; i++)
        {
            double psi = Sigmoid.Value(Math.Clamp(u[i], -_radius, _radius));
            for (int a = 0; a < _m; a++)
            {
                double xa = psi * _xTrain[i, a];
                for (int b = 0; b < _m; b++) _gram[a * _m + b] += xa * _xTrain[i, b];
                for (int j = 0; j < _c; j++) _rhs[a * _c + j] += xa * _yTrain[i, j];
            }
        }
        for (int a = 0; a < _m; a++) _gram[a * _m + a] += _ridge;
        SolveInPlace(_gram, _rhs, _m, _c, _w);
        double f = 0;
        for (int i = 0; i < _xVal.Rows; i++)
            for (int j = 0; j < _c; j++)
            {
                double pred = 0;
                for (int a = 0; a < _m; a++) pred += _xVal[i, a] * _w[a * _c + j];
                double r = _yVal[i, j] - pred;
                f += r * r;
            }
        return 0.5 * f;
    }

    /// <summary>The grid minimum of F over [−R, R]^N with <paramref name="pointsPerAxis"/> points per axis.</summary>
    /// <param name="pointsPerAxis">Points per axis (41 in the tests: spacing R/20).</param>
    /// <returns>The minimum value and its grid point.</returns>
    public (double Value, double[] Point) GridMinimum(int pointsPerAxis = 41)
    {
        double bestValue = double.PositiveInfinity;
        var best = new double[_n];
        foreach (var (value, point) in GridPoints(pointsPerAxis))
            if (value < bestValue) { bestValue = value; point.CopyTo(best, 0); }
        return (bestValue, best);
    }

    // Every grid point with F there (the point array is reused between items).
    private IEnumerable<(double Value, double[] Point)> GridPoints(int pointsPerAxis)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pointsPerAxis, 2);
        double total = Math.Pow(pointsPerAxis, _n);
        if (total > 5e7)
            throw new ArgumentOutOfRangeException(nameof(pointsPerAxis), pointsPerAxis,
                $"{pointsPerAxis}^{_n} = {total:G3} grid points is more than the 5e7 this search allows: it is for tiny instances.");
        var index = new int[_n];
        var u = new double[_n];
        double spacing = 2 * _radius / (pointsPerAxis - 1);
        while (true)
        {
            for (int i = 0; i < _n; i++) u[i] = -_radius + spacing * index[i];
            yield return (Evaluate(u), u);
            int d = 0;
            while (d < _n && ++index[d] == pointsPerAxis) index[d++] = 0;
            if (d == _n) yield break;
        }
    }

    /// <summary>
    /// A second method: projected gradient descent on F with central-difference gradients and backtracking,
    /// from seeded random starts in the box. Returns the best value found and its point.
    /// </summary>
    /// <param name="starts">Number of random starts.</param>
    /// <param name="seed">Seed of the starts.</param>
    /// <param name="iterations">Descent steps per start.</param>
    public (double Value, double[] Point) MultiStartLocalSearch(int starts, int seed, int iterations = 2000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(starts, 1);
        var random = new Random(seed);
        var start = new double[_n];
        var best = new double[_n];
        double bestValue = double.PositiveInfinity;
        for (int s = 0; s < starts; s++)
        {
            for (int i = 0; i < _n; i++) start[i] = _radius * (2 * random.NextDouble() - 1);
            var (value, point) = LocalSearch(start, iterations);
            if (value < bestValue) { bestValue = value; point.CopyTo(best, 0); }
        }
        return (bestValue, best);
    }

    /// <summary>
    /// The grid minimum refined: the local search started at each of the <paramref name="candidates"/> best grid points
    /// (the global minimiser's basin need not hold the single best grid point), the best result kept. The certificate's
    /// value is then accurate to the local search's tolerance rather than the grid's spacing.
    /// </summary>
    /// <param name="pointsPerAxis">Points per axis of the grid.</param>
    /// <param name="candidates">Grid points to refine.</param>
    public (double Value, double[] Point) RefinedMinimum(int pointsPerAxis = 41, int candidates = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);
        var best = new List<(double Value, double[] Point)>();
        foreach (var (value, point) in GridPoints(pointsPerAxis))
        {
            if (best.Count == candidates && value >= best[^1].Value) continue;
            best.Add((value, (double[])point.Clone()));
            best.Sort((a, b) => a.Value.CompareTo(b.Value));
            if (best.Count > candidates) best.RemoveAt(best.Count - 1);
        }
        var result = best[0];
        foreach (var (_, point) in best)
        {
            var refined = LocalSearch(point, 5000);
            if (refined.Value < result.Value) result = refined;
        }
        // F's minimisers lie in flat, ill-conditioned valleys (ψ saturates towards the box): the descent needs many
        // more steps there than the screening above gives each candidate.
        var polished = LocalSearch(result.Point, 500_000);
        return polished.Value < result.Value ? polished : result;
    }

    /// <summary>Projected gradient descent on F from <paramref name="start"/>, with central-difference gradients and
    /// backtracking.</summary>
    /// <param name="start">The start (inside the box).</param>
    /// <param name="iterations">Descent steps.</param>
    public (double Value, double[] Point) LocalSearch(ReadOnlySpan<double> start, int iterations = 2000)
    {
        if (start.Length != _n) throw new ArgumentException($"start has {start.Length} elements; expected {_n}.", nameof(start));
        var u = start.ToArray();
        var trial = new double[_n];
        var grad = new double[_n];
        {
            double value = Evaluate(u), step = 1.0;
            for (int t = 0; t < iterations && step > 1e-14; t++)
            {
                for (int i = 0; i < _n; i++)
                {
                    double h = 1e-6, keep = u[i];
                    u[i] = keep + h; double fp = Evaluate(u);
                    u[i] = keep - h; double fm = Evaluate(u);
                    u[i] = keep;
                    grad[i] = (fp - fm) / (2 * h);
                }
                while (step > 1e-14)
                {
                    for (int i = 0; i < _n; i++) trial[i] = Math.Clamp(u[i] - step * grad[i], -_radius, _radius);
                    double tv = Evaluate(trial);
                    if (tv < value) { value = tv; trial.CopyTo(u, 0); step *= 2; break; }
                    step *= 0.5;
                }
            }
            return (value, u);
        }
    }

    // Gaussian elimination with partial pivoting on an m×m system with c right-hand sides (m is tiny here).
    private static void SolveInPlace(double[] a, double[] b, int m, int c, double[] x)
    {
        for (int k = 0; k < m; k++)
        {
            int p = k;
            for (int i = k + 1; i < m; i++) if (Math.Abs(a[i * m + k]) > Math.Abs(a[p * m + k])) p = i;
            if (a[p * m + k] == 0) throw new InvalidOperationException("The weighted normal equations are singular; add a ridge.");
            if (p != k)
            {
                for (int j = 0; j < m; j++) (a[k * m + j], a[p * m + j]) = (a[p * m + j], a[k * m + j]);
                for (int j = 0; j < c; j++) (b[k * c + j], b[p * c + j]) = (b[p * c + j], b[k * c + j]);
            }
            for (int i = k + 1; i < m; i++)
            {
                double factor = a[i * m + k] / a[k * m + k];
                for (int j = k; j < m; j++) a[i * m + j] -= factor * a[k * m + j];
                for (int j = 0; j < c; j++) b[i * c + j] -= factor * b[k * c + j];
            }
        }
        for (int k = m - 1; k >= 0; k--)
            for (int j = 0; j < c; j++)
            {
                double sum = b[k * c + j];
                for (int i = k + 1; i < m; i++) sum -= a[k * m + i] * x[i * c + j];
                x[k * c + j] = sum / a[k * m + k];
            }
    }
}
