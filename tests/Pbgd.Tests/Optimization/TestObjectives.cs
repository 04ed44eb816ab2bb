using Pbgd.Optimization;

namespace Pbgd.Tests.Optimization;

/// Chained Rosenbrock f(x) = Σ 100(x_{i+1} − x_i²)² + (1 − x_i)²; global minimum 0 at (1, …, 1).
internal sealed class Rosenbrock(int dimension) : IDifferentiableObjective
{
    public int Dimension { get; } = dimension;
    public int Calls { get; private set; }

    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        Calls++;
        gradient.Clear();
        double f = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
            f += 100 * a * a + b * b;
            gradient[i] += -400 * a * x[i] - 2 * b;
            gradient[i + 1] += 200 * a;
        }
        return f;
    }

    /// The standard start (−1.2, 1, −1.2, 1, …).
    public static double[] Start(int n) => Enumerable.Range(0, n).Select(i => i % 2 == 0 ? -1.2 : 1.0).ToArray();
}

/// f(x) = ½ xᵀAx − bᵀx with a dense symmetric A (row-major).
internal sealed class Quadratic(double[] a, double[] b) : IDifferentiableObjective
{
    public int Dimension => b.Length;
    public double[] A => a;
    public double[] B => b;

    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        int n = b.Length;
        double f = 0;
        for (int i = 0; i < n; i++)
        {
            double ax = 0;
            for (int j = 0; j < n; j++) ax += a[i * n + j] * x[j];
            gradient[i] = ax - b[i];
            f += x[i] * (0.5 * ax - b[i]);
        }
        return f;
    }

    /// A = Qᵀ diag(λ) Q with Q from Gram–Schmidt on a random matrix and λ log-spaced from 1 to <paramref name="condition"/>.
    public static Quadratic Random(int n, double condition, int seed)
    {
        var random = new Random(seed);
        var q = new double[n * n];
        for (int i = 0; i < n * n; i++) q[i] = random.NextDouble() - 0.5;
        for (int r = 0; r < n; r++)
        {
            for (int p = 0; p < r; p++)
            {
                double dot = 0;
                for (int j = 0; j < n; j++) dot += q[r * n + j] * q[p * n + j];
                for (int j = 0; j < n; j++) q[r * n + j] -= dot * q[p * n + j];
            }
            double norm = Math.Sqrt(Enumerable.Range(0, n).Sum(j => q[r * n + j] * q[r * n + j]));
            for (int j = 0; j < n; j++) q[r * n + j] /= norm;
        }
        var a = new double[n * n];
        for (int k = 0; k < n; k++)
        {
            double lambda = Math.Pow(condition, n == 1 ? 0 : (double)k / (n - 1));
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) a[i * n + j] += lambda * q[k * n + i] * q[k * n + j];
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) a[i * n + j] = a[j * n + i];   // exact symmetry
        var b = Enumerable.Range(0, n).Select(_ => 4 * (random.NextDouble() - 0.5)).ToArray();
        return new Quadratic(a, b);
    }
}

/// f(x) = Σ ½(x_i − 3)² − μ log(1 − x_i), +∞ for any x_i ≥ 1. Each coordinate minimises at the root of
/// (x − 3)(1 − x) + μ = 0 below 1: x* = 2 − √(1 + μ).
internal sealed class BarrierObjective(int dimension, double mu) : IDifferentiableObjective
{
    public int Dimension => dimension;
    public int InfiniteReturns { get; private set; }
    public double Solution => 2 - Math.Sqrt(1 + mu);

    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double f = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] >= 1)
            {
                InfiniteReturns++;
                gradient.Fill(double.NaN);
                return double.PositiveInfinity;
            }
            f += 0.5 * (x[i] - 3) * (x[i] - 3) - mu * Math.Log(1 - x[i]);
            gradient[i] = x[i] - 3 + mu / (1 - x[i]);
        }
        return f;
    }
}

/// Reports −∇f instead of ∇f: every "descent" direction goes uphill.
internal sealed class NegatedGradient(IDifferentiableObjective inner) : IDifferentiableObjective
{
    public int Dimension => inner.Dimension;

    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double f = inner.Evaluate(x, gradient);
        for (int i = 0; i < gradient.Length; i++) gradient[i] = -gradient[i];
        return f;
    }
}

/// Counts calls to the wrapped objective.
internal sealed class Counting(IDifferentiableObjective inner) : IDifferentiableObjective
{
    public int Dimension => inner.Dimension;
    public int Calls { get; private set; }

    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        Calls++;
        return inner.Evaluate(x, gradient);
    }
}

internal static class Minimizers
{
    public static BoxMinimizer Create(string method, IDifferentiableObjective objective, Box box, BoxMinimizerOptions options) =>
        method switch
        {
            "L-BFGS" => new ProjectedLbfgs(objective, box, options),
            "SPG" => new SpectralProjectedGradient(objective, box, options),
            _ => throw new ArgumentException(method, nameof(method)),
        };

    public static double MaxAbsDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }
}

/// g(x) = s_f · f(x / s_x): the same landscape in other units; its minimiser is s_x times f's.
internal sealed class Rescaled(IDifferentiableObjective inner, double valueScale, double pointScale) : IDifferentiableObjective
{
    private readonly double[] _y = new double[inner.Dimension];
    public int Dimension => inner.Dimension;

    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        for (int i = 0; i < x.Length; i++) _y[i] = x[i] / pointScale;
        double f = inner.Evaluate(_y, gradient);
        for (int i = 0; i < x.Length; i++) gradient[i] *= valueScale / pointScale;
        return valueScale * f;
    }
}

/// f(x) = ½ Σ wᵢ(xᵢ − cᵢ)²: separable, minimiser c; with dyadic inputs f and ∇f are exact in binary.
internal sealed class WeightedSquares(double[] weights, double[] center) : IDifferentiableObjective
{
    public int Dimension => Center.Length;
    public double[] Center { get; set; } = center;
    public double[] Weights { get; set; } = weights;

    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double f = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double r = x[i] - Center[i];
            f += 0.5 * Weights[i] * r * r;
            gradient[i] = Weights[i] * r;
        }
        return f;
    }
}
