using System.Reflection;
using Pbgd.Linalg;
using Pbgd.Problems;
using Pbgd.Problems.Toys;
using Pbgd.Synthetic;
using Xunit.Abstractions;

namespace Pbgd.Tests.Problems;

/// The values f, g and g* = g(u, v*(u)) of every built-in problem against plain-loop references written here from the
/// definitions (PlainReference: own sigmoid, softmax, log-sum-exp and linear solves), relative 1e−12 unless stated.
/// The gradient tests only check each problem against its own values, so a wrong term that enters value and gradient
/// alike (r doubled, ψ replaced, a factor ½ lost) passes them; these tests fail on it.
/// (Representation learning's f, g and g* have their plain-loop references in RepresentationLearningProblemTests.)
public class ObjectiveReferenceTests(ITestOutputHelper output)
{
    private const double Tight = 1e-12;

    private static double[] Uniform(Random random, int n, double lo, double hi) =>
        Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * random.NextDouble()).ToArray();

    private void Close(double expected, double actual, double tolerance, string what)
    {
        double error = PlainReference.Relative(actual, expected);
        output.WriteLine($"{what}: {actual:G17} vs reference {expected:G17} (relative {error:E1})");
        Assert.True(error <= tolerance, $"{what}: {actual:G17} vs reference {expected:G17}, relative error {error:E2} > {tolerance:E0}");
    }

    [Fact]
    public void TheReferenceSigmoidIsTheLogisticFunction()
    {
        // The reference's own ψ against the textbook form at points where both are exact to rounding, and its symmetry.
        foreach (double u in new[] { -30.0, -3.0, -0.5, 0.0, 0.25, 2.0, 30.0 })
        {
            Assert.Equal(1 / (1 + Math.Exp(-u)), PlainReference.Sigmoid(u), 1e-15);
            Assert.Equal(1, PlainReference.Sigmoid(u) + PlainReference.Sigmoid(-u), 1e-15);
        }
        Assert.Equal(0.5, PlainReference.Sigmoid(0));
        // And the library's ψ against it, and ψ' against 1/(4cosh²(u/2)) inside the default box |u| ≤ 10 (beyond, the
        // library's ψ(1 − ψ) loses relative accuracy to cancellation as 1 − ψ → 0: ψ'(40) comes out as 0 instead of 4e−18).
        foreach (double u in new[] { -40.0, -7.0, -1.0, 0.0, 0.3, 5.0, 40.0 })
            Assert.True(PlainReference.Relative(Sigmoid.Value(u), PlainReference.Sigmoid(u)) <= 1e-14, $"ψ({u})");
        foreach (double u in new[] { -10.0, -7.0, -1.0, 0.0, 0.3, 5.0, 10.0 })
        {
            double reference = 0.25 / Math.Pow(Math.Cosh(0.5 * u), 2);
            Assert.True(PlainReference.Relative(Sigmoid.Derivative(u), reference) <= 1e-11, $"ψ'({u}) = {Sigmoid.Derivative(u):G17}, reference {reference:G17}");
        }
        // |ψ''| peaks at 1/(6√3): a dense scan of ψ'' = ψ(1 − ψ)(1 − 2ψ).
        double max = 0;
        for (double u = -6; u <= 6; u += 1e-4)
        {
            double p = PlainReference.Sigmoid(u);
            max = Math.Max(max, Math.Abs(p * (1 - p) * (1 - 2 * p)));
        }
        double closedForm = 1 / (6 * Math.Sqrt(3)); // the maximum of |ψ''| = |p(1 − p)(1 − 2p)|, at p = (3 ± √3)/6
        Assert.InRange(Sigmoid.MaxSecondDerivative, closedForm - 1e-15, closedForm + 1e-15);
        Assert.True(Sigmoid.MaxSecondDerivative >= max && Sigmoid.MaxSecondDerivative - max <= 1e-9);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void SquaredLossValuesAndLowerMinimumMatchPlainLoops(double ridge)
    {
        var d = HyperCleaningGenerator.Realistic(40, 15, 5, 3, 0.4, seed: 3);
        var p = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation,
            new HyperCleaningSquaredOptions { Ridge = ridge });
        var random = new Random(31);
        for (int point = 0; point < 3; point++)
        {
            var u = Uniform(random, p.UpperDimension, -4, 4);
            var v = Uniform(random, p.LowerDimension, -0.7, 0.7);
            var omega = Uniform(random, p.LowerDimension, -0.7, 0.7);
            double f = PlainReference.SquaredUpper(d.XValidation, d.YValidation, v);
            double g = PlainReference.SquaredLower(d.XTrain, d.YTrain, u, v, ridge);
            double gOmega = PlainReference.SquaredLower(d.XTrain, d.YTrain, u, omega, ridge);
            Close(f, p.Upper(u, v, default, default), Tight, $"λ = {ridge}, point {point}: f");
            Close(f, p.Upper(u, v, new double[u.Length], new double[v.Length]), Tight, "f (with gradients)");
            Close(g, p.Lower(u, v, default, default), Tight, "g");
            Close(g, p.Lower(u, v, new double[u.Length], new double[v.Length]), Tight, "g (with gradients)");
            var pair = p.LowerPair(u, v, omega, new double[u.Length], new double[v.Length], new double[u.Length], new double[v.Length]);
            Close(g, pair.AtV, Tight, "g at v (pair)");
            Close(gOmega, pair.AtOmega, Tight, "g at ω (pair)");

            // g*(u) = min_W g: the library's W*(u) must attain the reference minimum (g is flat there, so this is
            // first-order insensitive to the solver's rounding), and be the reference minimiser.
            var wRef = PlainReference.SquaredMinimizer(d.XTrain, d.YTrain, d.XValidation, d.YValidation, u, ridge, 0, lowerOnly: true);
            var wStar = new double[p.LowerDimension];
            p.SolveLower(u, wStar);
            Close(PlainReference.SquaredLower(d.XTrain, d.YTrain, u, wRef, ridge), p.Lower(u, wStar, default, default), Tight, "g*");
            Assert.True(NaiveDense.Norm(NaiveDense.Subtract(wStar, wRef)) <= 1e-9 * NaiveDense.Norm(wRef), "W*(u) against the reference solve");

            // min_W f + γg: the library's exact penalized step against the reference minimiser of the same sum.
            foreach (double gamma in new[] { 0.5, 20.0 })
            {
                var wPen = PlainReference.SquaredMinimizer(d.XTrain, d.YTrain, d.XValidation, d.YValidation, u, ridge, gamma, lowerOnly: false);
                var w = new double[p.LowerDimension];
                p.MinimizePenalized(u, gamma, w);
                double expected = PlainReference.SquaredUpper(d.XValidation, d.YValidation, wPen) + gamma * PlainReference.SquaredLower(d.XTrain, d.YTrain, u, wPen, ridge);
                Close(expected, p.Upper(u, w, default, default) + gamma * p.Lower(u, w, default, default), Tight, $"min_W f + {gamma}g");
                Assert.True(NaiveDense.Norm(NaiveDense.Subtract(w, wPen)) <= 1e-9 * NaiveDense.Norm(wPen), $"argmin_W f + {gamma}g");
            }
        }
    }

    [Fact]
    public void SquaredLossScoresAreTheLinearModel()
    {
        var d = HyperCleaningGenerator.Realistic(40, 15, 5, 3, 0.4, seed: 3);
        var p = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation);
        var v = Uniform(new Random(4), p.LowerDimension, -1, 1);
        var scores = new double[d.XValidation.Rows * 3];
        p.Scores(d.XValidation, v, scores);
        for (int i = 0; i < d.XValidation.Rows; i++)
        {
            var z = PlainReference.Fit(d.XValidation, i, v, 3);
            for (int q = 0; q < 3; q++) Assert.Equal(z[q], scores[i * 3 + q], 1e-13);
        }
    }

    private static Matrix SoftLabels(Matrix oneHot, int seed)
    {
        // Probability targets with row sums between 0.5 and 1.5 (not one): the Σ_q y_iq factor of log-sum-exp matters.
        var random = new Random(seed);
        var y = new Matrix(oneHot.Rows, oneHot.Columns);
        for (int i = 0; i < y.Rows; i++)
            for (int q = 0; q < y.Columns; q++) y[i, q] = 0.5 * random.NextDouble() + 0.5 * oneHot[i, q];
        return y;
    }

    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(false, 0.2)]
    [InlineData(true, 0.2)]
    public void CrossEntropyValuesMatchPlainLoops(bool softLabels, double r)
    {
        var d = HyperCleaningGenerator.Realistic(40, 15, 5, 3, 0.4, seed: 4);
        var yTrain = softLabels ? SoftLabels(d.YTrain, 9) : d.YTrain;
        var yVal = softLabels ? SoftLabels(d.YValidation, 10) : d.YValidation;
        var p = new HyperCleaningCrossEntropyProblem(d.XTrain, yTrain, d.XValidation, yVal, regularization: r);
        var random = new Random(32);
        for (int point = 0; point < 3; point++)
        {
            var u = Uniform(random, p.UpperDimension, -4, 4);
            // Large enough logits (|z| up to ~10) that the log-sum-exp shift and the softmax are exercised.
            var v = Uniform(random, p.LowerDimension, -2, 2);
            var omega = Uniform(random, p.LowerDimension, -2, 2);
            double f = PlainReference.CrossEntropyUpper(d.XValidation, yVal, v);
            double g = PlainReference.CrossEntropyLower(d.XTrain, yTrain, u, v, r);
            double gOmega = PlainReference.CrossEntropyLower(d.XTrain, yTrain, u, omega, r);
            string at = $"soft {softLabels}, r = {r}, point {point}";
            Close(f, p.Upper(u, v, default, default), Tight, $"{at}: f");
            Close(f, p.Upper(u, v, new double[u.Length], new double[v.Length]), Tight, $"{at}: f (with gradients)");
            Close(g, p.Lower(u, v, default, default), Tight, $"{at}: g");
            Close(g, p.Lower(u, v, new double[u.Length], new double[v.Length]), Tight, $"{at}: g (with gradients)");
            var pair = p.LowerPair(u, v, omega, new double[u.Length], new double[v.Length], new double[u.Length], new double[v.Length]);
            Close(g, pair.AtV, Tight, $"{at}: g at v (pair)");
            Close(gOmega, pair.AtOmega, Tight, $"{at}: g at ω (pair)");
            var noGradients = p.LowerPair(u, v, omega, default, default, default, default);
            Close(gOmega, noGradients.AtOmega, Tight, $"{at}: g at ω (pair, no gradients)");
        }
    }

    [Fact]
    public void CrossEntropyScoresAreTheAffineModel()
    {
        var d = HyperCleaningGenerator.Realistic(40, 15, 5, 3, 0.4, seed: 4);
        var p = new HyperCleaningCrossEntropyProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation);
        var v = Uniform(new Random(5), p.LowerDimension, -1, 1);
        var scores = new double[d.XValidation.Rows * 3];
        p.Scores(d.XValidation, v, scores);
        for (int i = 0; i < d.XValidation.Rows; i++)
        {
            var z = PlainReference.Fit(d.XValidation, i, v.AsSpan(0, 15), 3);
            for (int q = 0; q < 3; q++) Assert.Equal(z[q] + v[15 + q], scores[i * 3 + q], 1e-13);
        }
    }

    [Fact]
    public void CrossEntropyInSinglePrecisionMeetsItsFloatBound()
    {
        // The float32 problem multiplies float copies of X and W and sums in double (docs/algorithms.md §4): each logit is
        // off by at most ~m·2⁻²³·Σ_j|x_ij w_jq| relative to its terms, so f and g are within 1e−6 relative of the double
        // reference (measured 1e−8 and 3e−9 here); against the reference on X and W rounded to float first they are within
        // 5e−8 (measured 7e−9 and 6e−11). A term that is wrong in float only (a dropped row, a regulariser on float W)
        // is far above both.
        var d = HyperCleaningGenerator.Realistic(300, 120, 20, 4, 0.4, seed: 6);
        var yTrain = SoftLabels(d.YTrain, 11);
        var p = new HyperCleaningCrossEntropyProblem(d.XTrain, yTrain, d.XValidation, d.YValidation, regularization: 0.2,
            precision: DataPrecision.Single);
        var random = new Random(33);
        var u = Uniform(random, p.UpperDimension, -4, 4);
        var v = Uniform(random, p.LowerDimension, -1, 1);
        double f = PlainReference.CrossEntropyUpper(d.XValidation, d.YValidation, v);
        double g = PlainReference.CrossEntropyLower(d.XTrain, yTrain, u, v, 0.2);
        Close(f, p.Upper(u, v, default, default), 1e-6, "float32 f against double");
        Close(g, p.Lower(u, v, default, default), 1e-6, "float32 g against double");
        Close(g, p.LowerPair(u, v, v, default, default, default, default).AtOmega, 1e-6, "float32 g (pair) against double");

        static Matrix Rounded(Matrix x)
        {
            var y = x.Clone();
            for (int k = 0; k < y.Data.Length; k++) y.Data[k] = (float)y.Data[k];
            return y;
        }
        var vr = v.Select((x, k) => k < 20 * 4 ? (double)(float)x : x).ToArray();
        double fr = PlainReference.CrossEntropyUpper(Rounded(d.XValidation), d.YValidation, vr);
        // The regulariser is computed from v in double; only the data term sees the rounded W.
        double gr = PlainReference.CrossEntropyLower(Rounded(d.XTrain), yTrain, u, vr, 0) + 0.2 * PlainReference.SumOfSquares(v.AsSpan(0, 80));
        Close(fr, p.Upper(u, v, default, default), 5e-8, "float32 f against the float-rounded reference");
        Close(gr, p.Lower(u, v, default, default), 5e-8, "float32 g against the float-rounded reference");
    }

    [Fact]
    public void Example1ValuesAndLowerSolutionMatchTheirDefinitions()
    {
        // [XC24] Example 1: f = ½(u − 2 sin v)², g = ½(u − v)², v*(u) = u, g* = 0, F(u) = ½(u − 2 sin u)².
        IBilevelProblem p = new XiaoChenExample1();
        var random = new Random(34);
        for (int k = 0; k < 20; k++)
        {
            double u = 8 * random.NextDouble() - 4, v = 8 * random.NextDouble() - 4;
            double fu = 0.5 * (u - 2 * Math.Sin(v)) * (u - 2 * Math.Sin(v)), gu = 0.5 * (u - v) * (u - v);
            Assert.Equal(fu, p.Upper([u], [v], default, default), Tight * fu);
            Assert.Equal(gu, p.Lower([u], [v], new double[1], new double[1]), Tight * gu);
            var vStar = new double[1];
            ((IExactLowerLevel)p).SolveLower([u], vStar);
            Assert.Equal(u, vStar[0]);
            Assert.Equal(0, p.Lower([u], vStar, default, default));
            double nested = 0.5 * (u - 2 * Math.Sin(u)) * (u - 2 * Math.Sin(u));
            Assert.Equal(nested, XiaoChenExample1.Nested(u), Tight * nested + 1e-300);
        }
    }

    [Fact]
    public void VpbgdToyValuesAndLowerSolutionMatchTheirDefinitions()
    {
        // f = cos(4y + 2)/(1 + e^{2−4x}) + ½ln((4x − 2)² + 1), g = (x + y)² + x·sin²(x + y), y*(x) = −x, g* = 0.
        IBilevelProblem p = new VpbgdToy();
        var random = new Random(35);
        for (int k = 0; k < 20; k++)
        {
            double x = 3 * random.NextDouble(), y = -5 + 13.5 * random.NextDouble();
            double f = Math.Cos(4 * y + 2) * PlainReference.Sigmoid(4 * x - 2) + 0.5 * Math.Log(Math.Pow(4 * x - 2, 2) + 1);
            double g = Math.Pow(x + y, 2) + x * Math.Pow(Math.Sin(x + y), 2);
            Assert.True(Math.Abs(p.Upper([x], [y], default, default) - f) <= Tight * (Math.Abs(f) + 1), $"f({x}, {y})");
            Assert.True(PlainReference.Relative(p.Lower([x], [y], default, default), g) <= Tight, $"g({x}, {y})");
            var vStar = new double[1];
            ((IExactLowerLevel)p).SolveLower([x], vStar);
            Assert.Equal(-x, vStar[0]);
            Assert.Equal(0, p.Lower([x], vStar, default, default));
        }
    }

    private static double[] Field(object o, string name) =>
        (double[])o.GetType().GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(o)!;

    // g = ½‖Hy − x‖² with H the toy's public matrix, by loops.
    private static double SpdLower(SpdLeastSquaresLower lower, double[] x, double[] y)
    {
        int d = lower.Dimension;
        var h = lower.H.ToArray();
        double s = 0;
        for (int i = 0; i < d; i++)
        {
            double r = -x[i];
            for (int j = 0; j < d; j++) r += h[i * d + j] * y[j];
            s += r * r;
        }
        return 0.5 * s;
    }

    private static void CheckSpdLowerSolution(SpdLowerLevelProblem p, double[] x)
    {
        // y*(x) = H⁻¹x by Gaussian elimination on H; g* = 0.
        var yStar = new double[x.Length];
        p.SolveLower(x, yStar);
        var reference = Support.DenseSolve.Solve(p.Lower.H.ToArray(), x, x.Length);
        Assert.True(NaiveDense.Norm(NaiveDense.Subtract(yStar, reference)) <= 1e-12 * NaiveDense.Norm(reference), "y*(x) = H⁻¹x");
        Assert.True(((IBilevelProblem)p).Lower(x, yStar, default, default) <= 1e-26 * Math.Max(1, NaiveDense.Norm(x)), "g* = 0");
    }

    [Fact]
    public void RxgfToyValuesAndLowerSolutionMatchTheirDefinitions()
    {
        // f = sin(cᵀx + dᵀy) + ln(‖x + y‖² + 1), g = ½‖Hy − x‖² (c, d and H the instance's own data).
        var toy = new RxgfToy(20, seed: 3);
        IBilevelProblem p = toy;
        var (c, dy) = (Field(toy, "_cx"), Field(toy, "_dy"));
        Assert.True(NaiveDense.Norm(c) > 0 && NaiveDense.Norm(dy) > 0);
        var random = new Random(36);
        for (int k = 0; k < 5; k++)
        {
            var x = Uniform(random, 20, -2, 2);
            var y = Uniform(random, 20, -2, 2);
            double s = 0, norm = 0;
            for (int i = 0; i < 20; i++) { s += c[i] * x[i] + dy[i] * y[i]; norm += (x[i] + y[i]) * (x[i] + y[i]); }
            double f = Math.Sin(s) + Math.Log(norm + 1);
            Assert.True(PlainReference.Relative(p.Upper(x, y, default, default), f) <= Tight, "f");
            Assert.True(PlainReference.Relative(p.Upper(x, y, new double[20], new double[20]), f) <= Tight, "f (with gradients)");
            double g = SpdLower(toy.Lower, x, y);
            Assert.True(PlainReference.Relative(p.Lower(x, y, default, default), g) <= Tight, "g");
            Assert.True(PlainReference.Relative(p.Lower(x, y, new double[20], new double[20]), g) <= Tight, "g (with gradients)");
            CheckSpdLowerSolution(toy, x);
        }
    }

    [Fact]
    public void ConvexQuadraticToyValuesSolutionsAndClosedFormsMatchTheirDefinitions()
    {
        // f = ½‖x − a‖² + ½‖y − b‖², g = ½‖Hy − x‖²; the exact v-step argmin_y f + γg solves (I + γH²)y = b + γHx; F* and
        // min L_γ (the closed forms the comparisons measure against) against a Gaussian-elimination solve of the
        // stationarity systems: (I + H⁻²)x* = a + H⁻¹b, and [[(1+γ)I, −γH], [−γH, I + γH²]](x, y) = (a, b).
        var toy = new ConvexQuadraticToy(12, seed: 4);
        IBilevelProblem p = toy;
        var (a, b) = (Field(toy, "_a"), Field(toy, "_b"));
        int d = 12;
        var h = toy.Lower.H.ToArray();
        var random = new Random(37);
        for (int k = 0; k < 5; k++)
        {
            var x = Uniform(random, d, -2, 2);
            var y = Uniform(random, d, -2, 2);
            double f = 0.5 * PlainReference.SumOfSquares(NaiveDense.Subtract(x, a)) + 0.5 * PlainReference.SumOfSquares(NaiveDense.Subtract(y, b));
            Assert.True(PlainReference.Relative(p.Upper(x, y, default, default), f) <= Tight, "f");
            Assert.True(PlainReference.Relative(p.Upper(x, y, new double[d], new double[d]), f) <= Tight, "f (with gradients)");
            Assert.True(PlainReference.Relative(p.Lower(x, y, default, default), SpdLower(toy.Lower, x, y)) <= Tight, "g");
            CheckSpdLowerSolution(toy, x);
            foreach (double gamma in new[] { 0.0, 0.7, 50.0 })
            {
                var h2 = NaiveDense.Multiply(h, d, d, h, d);
                var system = new double[d * d];
                for (int i = 0; i < d * d; i++) system[i] = gamma * h2[i] + (i % (d + 1) == 0 ? 1 : 0);
                var rhs = NaiveDense.Multiply(h, d, d, x, 1).Select((hx, i) => b[i] + gamma * hx).ToArray();
                var reference = Support.DenseSolve.Solve(system, rhs, d);
                var step = new double[d];
                toy.MinimizePenalized(x, gamma, step);
                Assert.True(NaiveDense.Norm(NaiveDense.Subtract(step, reference)) <= 1e-12 * NaiveDense.Norm(reference), $"v-step at γ = {gamma}");
            }
        }

        // F* from (I + H⁻²)x* = a + H⁻¹b, formed with H⁻¹ by elimination.
        var hInv = new double[d * d];
        for (int j = 0; j < d; j++)
        {
            var e = new double[d];
            e[j] = 1;
            var column = Support.DenseSolve.Solve(h, e, d);
            for (int i = 0; i < d; i++) hInv[i * d + j] = column[i];
        }
        var hInv2 = NaiveDense.Multiply(hInv, d, d, hInv, d);
        var lhs = new double[d * d];
        for (int i = 0; i < d * d; i++) lhs[i] = hInv2[i] + (i % (d + 1) == 0 ? 1 : 0);
        var xStar = Support.DenseSolve.Solve(lhs, NaiveDense.Multiply(hInv, d, d, b, 1).Select((v, i) => a[i] + v).ToArray(), d);
        var yStar = NaiveDense.Multiply(hInv, d, d, xStar, 1);
        double fStar = 0.5 * PlainReference.SumOfSquares(NaiveDense.Subtract(xStar, a)) + 0.5 * PlainReference.SumOfSquares(NaiveDense.Subtract(yStar, b));
        var optimum = toy.Optimum();
        Assert.True(PlainReference.Relative(optimum.Value, fStar) <= 1e-11, $"F* = {optimum.Value:G17}, reference {fStar:G17}");
        Assert.True(NaiveDense.Norm(NaiveDense.Subtract(optimum.X, xStar)) <= 1e-10 * NaiveDense.Norm(xStar), "x*");

        foreach (double gamma in new[] { 0.0, 2.0, 300.0 })
        {
            // The 2d×2d stationarity system of L_γ = f + γg in (x, y).
            var big = new double[4 * d * d];
            int n2 = 2 * d;
            for (int i = 0; i < d; i++)
            {
                big[i * n2 + i] = 1 + gamma;
                for (int j = 0; j < d; j++)
                {
                    big[i * n2 + d + j] = -gamma * h[i * d + j];
                    big[(d + i) * n2 + j] = -gamma * h[j * d + i];
                    double h2ij = 0;
                    for (int k = 0; k < d; k++) h2ij += h[i * d + k] * h[k * d + j];
                    big[(d + i) * n2 + d + j] = gamma * h2ij + (i == j ? 1 : 0);
                }
            }
            var z = Support.DenseSolve.Solve(big, a.Concat(b).ToArray(), n2);
            var (zx, zy) = (z[..d], z[d..]);
            double value = 0.5 * PlainReference.SumOfSquares(NaiveDense.Subtract(zx, a)) + 0.5 * PlainReference.SumOfSquares(NaiveDense.Subtract(zy, b))
                + gamma * SpdLower(toy.Lower, zx, zy);
            var closed = toy.PenalizedMinimum(gamma);
            // At γ = 0 the minimum is 0 (x = a, y = b): relative to max(|min L_γ|, ½‖a‖² + ½‖b‖²·1e−12) there.
            double scale = Math.Max(Math.Abs(value), 1e-12 * (PlainReference.SumOfSquares(a) + PlainReference.SumOfSquares(b)));
            Assert.True(Math.Abs(closed.Value - value) <= 1e-11 * scale, $"min L_{gamma} = {closed.Value:G17}, reference {value:G17}");
            Assert.True(NaiveDense.Norm(NaiveDense.Subtract(closed.X.Concat(closed.Y).ToArray(), z)) <= 1e-10 * NaiveDense.Norm(z), $"argmin L_{gamma}");
        }
    }
}
