namespace Pbgd.Problems.Toys;

/// <summary>
/// [A25]'s nonconvex synthetic benchmark (docs/algorithms.md §7), x = u and y = v of dimension d (20 in the paper):
/// <code>
/// f(x, y) = sin(cᵀx + dᵀy) + ln(‖x + y‖² + 1)        g(x, y) = ½‖Hy − x‖²,   H = Q diag(λ) Qᵀ, λ_i ~ U[0.1, 1]
/// </code>
/// S(x) = {H⁻¹x}, g* = 0; F(x) = f(x, H⁻¹x) is nonconvex, so no global optimum is known: solvers are compared by the
/// KKT residual. c and d are Gaussian with entries of variance 1/d (the paper does not give their law; this
/// choice keeps cᵀx of the order of ‖x‖ — reconstructed, like the rest of §7).
/// </summary>
public sealed class RxgfToy : SpdLowerLevelProblem
{
    private readonly double[] _cx, _dy, _sum;

    /// <summary>A seeded instance.</summary>
    /// <param name="dimension">d (≥ 1).</param>
    /// <param name="seed">Seed of H, c and d.</param>
    public RxgfToy(int dimension = 20, int seed = 1) : base(SpdLeastSquaresLower.Random(dimension, 0.1, 1.0, seed))
    {
        var random = new Random(unchecked(seed * 7919 + 13));
        _cx = new double[dimension];
        _dy = new double[dimension];
        Synthetic.Gaussian.Fill(random, _cx, 1 / Math.Sqrt(dimension));
        Synthetic.Gaussian.Fill(random, _dy, 1 / Math.Sqrt(dimension));
        _sum = new double[dimension];
    }

    /// <inheritdoc />
    public override double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        CheckShapes(u, v);
        double s = 0, norm = 0;
        for (int i = 0; i < _sum.Length; i++)
        {
            s += _cx[i] * u[i] + _dy[i] * v[i];
            _sum[i] = u[i] + v[i];
            norm += _sum[i] * _sum[i];
        }
        double cos = Math.Cos(s), w = 2 / (norm + 1);
        for (int i = 0; i < _sum.Length; i++)
        {
            if (!gradU.IsEmpty) gradU[i] = cos * _cx[i] + w * _sum[i];
            if (!gradV.IsEmpty) gradV[i] = cos * _dy[i] + w * _sum[i];
        }
        return Math.Sin(s) + Math.Log(norm + 1);
    }

    /// <summary>
    /// Global bounds: ∇²g = [[I, −H], [−H, H²]] = [−I; H][−I, H] has norm 1 + λ_max²; in y alone λ_max². The sine
    /// term's Hessian is −sin(·)(c; d)(c; d)ᵀ (norm ≤ ‖c‖² + ‖d‖²) and ln(‖w‖² + 1), w = x + y, has second
    /// derivatives ≤ 2 in w, so ≤ 4 in (x, y).
    /// </summary>
    /// <param name="u">x.</param>
    /// <param name="v">y.</param>
    public override Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        double c2 = 0, d2 = 0;
        for (int i = 0; i < _cx.Length; i++) { c2 += _cx[i] * _cx[i]; d2 += _dy[i] * _dy[i]; }
        double l = Lower.MaxEigenvalue;
        return new Smoothness(c2 + d2 + 4, 1 + l * l, l * l, IsLocal: false, UpperInU: c2 + 2, LowerInU: 1);
    }

}
