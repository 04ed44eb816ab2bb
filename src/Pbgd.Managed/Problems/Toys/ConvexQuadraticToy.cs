namespace Pbgd.Problems.Toys;

/// <summary>
/// A convex quadratic bilevel benchmark with closed-form answers, on the lower level of [A25]'s benchmark:
/// <code>
/// f(x, y) = ½‖x − a‖² + ½‖y − b‖²        g(x, y) = ½‖Hy − x‖²,   H = Q diag(λ) Qᵀ, λ_i ~ U[0.1, 1]
/// </code>
/// y*(x) = H⁻¹x, so F(x) = ½‖x − a‖² + ½‖H⁻¹x − b‖² is strongly convex with minimiser (I + H⁻²)x* = a + H⁻¹b,
/// and min L_γ solves, per eigen-coordinate, [[1 + γ, −γλ], [−γλ, 1 + γλ²]]·(x̃, ỹ) = (ã, b̃). Every solver should
/// reach these values; the tests and the comparison runner measure against them.
/// </summary>
public sealed class ConvexQuadraticToy : SpdLowerLevelProblem, IExactPenalizedLowerLevel
{
    private readonly double[] _a, _b, _at, _bt, _work;

    /// <summary>A seeded instance; a and b are standard Gaussian.</summary>
    /// <param name="dimension">d (≥ 1).</param>
    /// <param name="seed">Seed of H, a and b.</param>
    public ConvexQuadraticToy(int dimension = 20, int seed = 1) : base(SpdLeastSquaresLower.Random(dimension, 0.1, 1.0, seed))
    {
        var random = new Random(unchecked(seed * 7919 + 29));
        (_a, _b) = (new double[dimension], new double[dimension]);
        Synthetic.Gaussian.Fill(random, _a);
        Synthetic.Gaussian.Fill(random, _b);
        (_at, _bt, _work) = (new double[dimension], new double[dimension], new double[dimension]);
        Rotate(_a, _at);
        Rotate(_b, _bt);
    }

    /// <summary>The bilevel optimum (x*, y* = H⁻¹x*) and F* = f(x*, y*).</summary>
    public (double[] X, double[] Y, double Value) Optimum()
    {
        int d = UpperDimension;
        var l = Lower.Eigenvalues;
        var xt = new double[d];
        // (1 + 1/λ²) x̃ = ã + b̃/λ  ⇔  x̃ = λ(λã + b̃)/(λ² + 1).
        for (int k = 0; k < d; k++) xt[k] = l[k] * (l[k] * _at[k] + _bt[k]) / (l[k] * l[k] + 1);
        var x = new double[d];
        var y = new double[d];
        Unrotate(xt, x);
        SolveLower(x, y);
        return (x, y, Upper(x, y, default, default));
    }

    /// <summary>min over (x, y) of L_γ = f + γg (g* = 0 here), and its minimiser.</summary>
    /// <param name="gamma">γ ≥ 0.</param>
    public (double[] X, double[] Y, double Value) PenalizedMinimum(double gamma)
    {
        if (!(gamma >= 0) || double.IsInfinity(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "γ must be finite and ≥ 0.");
        int d = UpperDimension;
        var l = Lower.Eigenvalues;
        var (xt, yt) = (new double[d], new double[d]);
        for (int k = 0; k < d; k++)
        {
            double a11 = 1 + gamma, a12 = -gamma * l[k], a22 = 1 + gamma * l[k] * l[k], det = a11 * a22 - a12 * a12;
            xt[k] = (a22 * _at[k] - a12 * _bt[k]) / det;
            yt[k] = (a11 * _bt[k] - a12 * _at[k]) / det;
        }
        var (x, y) = (new double[d], new double[d]);
        Unrotate(xt, x);
        Unrotate(yt, y);
        double value = Upper(x, y, default, default) + gamma * Lower.Value(x, y, default, default);
        return (x, y, value);
    }

    /// <inheritdoc />
    public override double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        CheckShapes(u, v);
        double f = 0;
        for (int i = 0; i < _a.Length; i++)
        {
            double rx = u[i] - _a[i], ry = v[i] - _b[i];
            f += 0.5 * (rx * rx + ry * ry);
            if (!gradU.IsEmpty) gradU[i] = rx;
            if (!gradV.IsEmpty) gradV[i] = ry;
        }
        return f;
    }

    /// <summary>Global constants: ∇²f = I; ∇²g = [−I; H][−I, H] has norm 1 + λ_max², λ_max² in y alone.</summary>
    /// <param name="u">x.</param>
    /// <param name="v">y.</param>
    public override Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        double l = Lower.MaxEigenvalue;
        return new Smoothness(1, 1 + l * l, l * l, IsLocal: false, UpperInU: 1, LowerInU: 1);
    }

    /// <summary>argmin_y ½‖y − b‖² + (γ/2)‖Hy − x‖²: (I + γH²)y = b + γHx.</summary>
    /// <param name="u">x.</param>
    /// <param name="gamma">γ ≥ 0.</param>
    /// <param name="v">Output y.</param>
    public LowerSolveInfo MinimizePenalized(ReadOnlySpan<double> u, double gamma, Span<double> v)
    {
        CheckShapes(u, v);
        if (!(gamma >= 0) || double.IsInfinity(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "γ must be finite and ≥ 0.");
        Lower.Multiply(u, _work, gamma);
        for (int i = 0; i < _work.Length; i++) _work[i] += _b[i];
        Lower.ApplySpectral(_work, static (l, g) => 1 / (1 + g * l * l), gamma, v);
        return new LowerSolveInfo(LowerSolveInfo.ClosedForm, u.Length, true);
    }

    // x̃ = Qᵀx and back: the eigen-coordinates in which every closed form above is per component.
    private void Rotate(ReadOnlySpan<double> x, Span<double> destination) =>
        Native.Blas.Gemv(Native.Transpose.Trans, UpperDimension, UpperDimension, 1.0, Lower.Eigenvectors, UpperDimension, x, 0.0, destination);

    private void Unrotate(ReadOnlySpan<double> xt, Span<double> destination) =>
        Native.Blas.Gemv(Native.Transpose.NoTrans, UpperDimension, UpperDimension, 1.0, Lower.Eigenvectors, UpperDimension, xt, 0.0, destination);

}
