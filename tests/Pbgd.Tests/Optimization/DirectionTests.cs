using Pbgd.Optimization;

namespace Pbgd.Tests.Optimization;

/// The L-BFGS direction against a dense reference: the inverse-BFGS recursion
/// H ← (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ, ρ = 1/sᵀy, from H₀ = γI over the stored pairs oldest to newest, restricted to
/// the free coordinates; active coordinates take γg (or stay, when already on their bound). The direction is
/// read off the first trial point P(x − d) the minimiser asks the objective for.
public class DirectionTests
{
    private const int N = 5;

    [Fact]
    public void UnconstrainedDirectionIsTheDenseBfgsProduct() =>
        Check(Box.Unbounded(N), new[] { 0.3, -0.2, 0.1, 0.4, -0.5 }, free: [true, true, true, true, true]);

    /// x₀ sits on its lower bound with g₀ > 0 (active, stays), x₁ is 0.01 below its upper bound with γg₁ pulling it
    /// past (active: a scaled gradient step, clipped at the bound); the rest are free.
    [Fact]
    public void BoxedDirectionRestrictsTheRecursionToTheFreeCoordinates()
    {
        var lower = new[] { 0.3, -1.0, -1.0, -1.0, -1.0 };
        var upper = new[] { 1.0, -0.19, 1.0, 1.0, 1.0 };
        Check(new Box(lower, upper), new[] { 0.3, -0.2, 0.1, 0.4, -0.5 }, free: [false, false, true, true, true]);
    }

    /// BoxMinimizerOptions.InitialStep s is the first direction's scale: the first trial point of both methods is
    /// P(x − s∇f(x)), here with a bound cutting one coordinate; without it, the unit-length default 1/‖x − P(x − ∇f)‖₂ (L-BFGS).
    [Theory]
    [InlineData("L-BFGS")]
    [InlineData("SPG")]
    public void InitialStepScalesTheFirstTrialPoint(string method)
    {
        var quadratic = Quadratic.Random(N, 20, seed: 4);
        var x = new[] { 0.3, -0.2, 0.1, 0.4, -0.5 };
        var box = new Box([-1, -1, -1, -1, -1], [1, 1, 1, 0.45, 1]);
        foreach (double? step in new double?[] { 0.37, 1e-3, null })
        {
            var recorder = new FirstPoint(quadratic);
            var minimizer = Minimizers.Create(method, recorder, box, new BoxMinimizerOptions { InitialStep = step });
            minimizer.Init(x);
            var g = minimizer.Gradient.ToArray();
            double scale = step ?? 1 / Math.Sqrt(Enumerable.Range(0, N).Sum(i => Math.Pow(x[i] - Math.Clamp(x[i] - g[i], box.Lower[i], box.Upper[i]), 2)));
            recorder.Reset();
            minimizer.Step();
            if (step is null && method == "SPG") continue; // SPG's own default is 1/‖·‖∞ (BMR), tested elsewhere
            for (int i = 0; i < N; i++)
                Assert.Equal(Math.Clamp(x[i] - scale * g[i], box.Lower[i], box.Upper[i]), recorder.Point![i], 14);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new BoxMinimizerOptions { InitialStep = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new BoxMinimizerOptions { InitialStep = double.PositiveInfinity }.Validate());
    }

    /// The active-set test's boundaries (mutation testing, issue 16), with γ = 0.07 and ∇f(x) = gx exactly:
    /// x₀ − γg₀ lands exactly on l₀ (g₀ &gt; 0) and x₁ − γg₁ exactly on u₁ (g₁ &lt; 0): both active ("≤", "≥");
    /// x₂ on its lower and x₃ on its upper bound with g = 0: free (only a gradient pushing outward makes a bound
    /// active), so the recursion runs over them too and may move them inward.
    [Fact]
    public void ScaledStepExactlyOnABoundIsActiveAndAZeroGradientIsFree()
    {
        var x = new[] { 0.3, -0.2, 0.1, 0.4, -0.5 };
        var gx = new[] { 0.8, -0.5, 0.0, 0.0, 0.6 };
        const double gamma = 0.07;
        var lower = new[] { x[0] - gamma * gx[0], -1.0, 0.1, -1.0, -1.0 };
        var upper = new[] { 1.0, x[1] - gamma * gx[1], 1.0, 0.4, 1.0 };
        Check(new Box(lower, upper), x, free: [false, false, true, true, true], gx);
    }

    private static void Check(Box box, double[] x, bool[] free, double[]? gradient = null)
    {
        var random = new Random(3);
        // An objective whose gradient at x is exactly the chosen vector gx: gxᵀ(z − x) + ½‖z − x‖².
        var gx = gradient ?? [0.8, -0.5, 0.3, -0.2, 0.6];
        var recorder = new FirstPoint(new Anchored(x, gx));
        var minimizer = new ProjectedLbfgs(recorder, box, new BoxMinimizerOptions { Memory = 3 });
        minimizer.Init(x);
        var g = minimizer.Gradient.ToArray();
        Assert.Equal(x, minimizer.Point.ToArray());   // the start lies in the box
        Assert.Equal(gx, g);
        // Three pairs with y = Ms (M symmetric positive definite), stored in ring slots 2, 0, 1 (oldest first).
        var m = Quadratic.Random(N, 50, seed: 9).A;
        var s = new double[3][];
        var y = new double[3][];
        var steps = new double[3 * N];
        var changes = new double[3 * N];
        int[] slotOfAge = [2, 0, 1];
        for (int k = 0; k < 3; k++)
        {
            s[k] = Enumerable.Range(0, N).Select(_ => random.NextDouble() - 0.5).ToArray();
            y[k] = Enumerable.Range(0, N).Select(i => Enumerable.Range(0, N).Sum(j => m[i * N + j] * s[k][j])).ToArray();
            Array.Copy(s[k], 0, steps, slotOfAge[k] * N, N);
            Array.Copy(y[k], 0, changes, slotOfAge[k] * N, N);
        }
        const double gamma = 0.07;
        // The premises of the boxed cases: γg₀ > 0 takes x₀ to or below l₀; x₁ − γg₁ at or beyond the upper bound.
        if (!free[0]) Assert.True(g[0] > 0 && x[0] - gamma * g[0] <= box.Lower[0]);
        if (!free[1]) Assert.True(x[1] - gamma * g[1] >= box.Upper[1] && x[1] < box.Upper[1]);
        var state = (ProjectedLbfgsState)minimizer.SaveState();
        minimizer.Restore(state with { Steps = steps, GradientChanges = changes, Newest = 1, Count = 3, Scaling = gamma });
        recorder.Reset();
        minimizer.Step();

        // Dense reference on the free coordinates.
        var h = new double[N, N];
        for (int i = 0; i < N; i++) h[i, i] = free[i] ? gamma : 0;
        for (int k = 0; k < 3; k++)
        {
            var sk = Enumerable.Range(0, N).Select(i => free[i] ? s[k][i] : 0).ToArray();
            var yk = Enumerable.Range(0, N).Select(i => free[i] ? y[k][i] : 0).ToArray();
            double rho = 1 / Enumerable.Range(0, N).Sum(i => sk[i] * yk[i]);
            Assert.True(rho > 0);
            var left = new double[N, N];   // (I − ρ s yᵀ) H
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                {
                    double sum = h[i, j];
                    for (int l = 0; l < N; l++) sum -= rho * sk[i] * yk[l] * h[l, j];
                    left[i, j] = sum;
                }
            for (int i = 0; i < N; i++)   // · (I − ρ y sᵀ) + ρ s sᵀ
                for (int j = 0; j < N; j++)
                {
                    double sum = left[i, j];
                    for (int l = 0; l < N; l++) sum -= rho * left[i, l] * yk[l] * sk[j];
                    h[i, j] = sum + rho * sk[i] * sk[j];
                }
        }
        var expected = new double[N];
        for (int i = 0; i < N; i++)
        {
            double d = free[i] ? Enumerable.Range(0, N).Sum(j => h[i, j] * (free[j] ? g[j] : 0)) : gamma * g[i];
            bool outward = (d > 0 && x[i] <= box.Lower[i]) || (d < 0 && x[i] >= box.Upper[i]);
            expected[i] = Math.Clamp(x[i] - (outward ? 0 : d), box.Lower[i], box.Upper[i]);
        }
        Assert.NotNull(recorder.Point);
        for (int i = 0; i < N; i++)
            Assert.True(Math.Abs(recorder.Point![i] - expected[i]) <= 1e-12 * (1 + Math.Abs(expected[i])),
                $"coordinate {i}: trial {recorder.Point[i]:R}, dense reference {expected[i]:R}");
    }

    /// f(z) = gᵀ(z − x) + ½‖z − x‖²: ∇f(x) = g exactly.
    private sealed class Anchored(double[] x, double[] g) : IDifferentiableObjective
    {
        public int Dimension => x.Length;

        public double Evaluate(ReadOnlySpan<double> z, Span<double> gradient)
        {
            double f = 0;
            for (int i = 0; i < z.Length; i++)
            {
                double r = z[i] - x[i];
                f += g[i] * r + 0.5 * r * r;
                gradient[i] = g[i] + r;
            }
            return f;
        }
    }

    private sealed class FirstPoint(IDifferentiableObjective inner) : IDifferentiableObjective
    {
        public double[]? Point { get; private set; }
        public int Dimension => inner.Dimension;
        public void Reset() => Point = null;

        public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
        {
            Point ??= x.ToArray();
            return inner.Evaluate(x, gradient);
        }
    }
}
