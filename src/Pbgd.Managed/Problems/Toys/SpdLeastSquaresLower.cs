using Pbgd.Native;

namespace Pbgd.Problems.Toys;

/// <summary>
/// The lower level of [A25]'s synthetic benchmarks (docs/algorithms.md §7): g(x, y) = ½‖Hy − x‖² with H = Q diag(λ) Qᵀ
/// symmetric positive definite, so y*(x) = H⁻¹x and g* = 0. Its gradients and second-order products are exact:
/// <code>
/// ∇_x g = x − Hy     ∇_y g = H(Hy − x)     ∇²_yy g = H²     ∇²_xy g = ∇²_yx g = −H
/// </code>
/// Shared by <see cref="RxgfToy"/> and <see cref="ConvexQuadraticToy"/>.
/// </summary>
public sealed class SpdLeastSquaresLower
{
    private readonly double[] _h, _q, _eigen, _work;

    private SpdLeastSquaresLower(double[] h, double[] q, double[] eigen)
    {
        (_h, _q, _eigen) = (h, q, eigen);
        _work = new double[eigen.Length];
    }

    /// <summary>
    /// H = Q diag(λ) Qᵀ with λ_i uniform in [<paramref name="minEigenvalue"/>, <paramref name="maxEigenvalue"/>] ([A25]:
    /// [0.1, 1]) and Q orthonormalised from a seeded Gaussian matrix (Gram–Schmidt applied twice, which keeps
    /// ‖QᵀQ − I‖ at rounding level).
    /// </summary>
    /// <param name="dimension">d, the length of x and of y (≥ 1).</param>
    /// <param name="minEigenvalue">Smallest eigenvalue bound (&gt; 0).</param>
    /// <param name="maxEigenvalue">Largest eigenvalue bound (≥ the smallest).</param>
    /// <param name="seed">Seed of System.Random, whose seeded sequence is stable across .NET versions.</param>
    public static SpdLeastSquaresLower Random(int dimension, double minEigenvalue, double maxEigenvalue, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!(minEigenvalue > 0) || !double.IsFinite(maxEigenvalue) || maxEigenvalue < minEigenvalue)
            throw new ArgumentOutOfRangeException(nameof(minEigenvalue), $"need 0 < minEigenvalue ≤ maxEigenvalue < ∞; got [{minEigenvalue}, {maxEigenvalue}].");
        var random = new Random(seed);
        var eigen = new double[dimension];
        for (int i = 0; i < dimension; i++) eigen[i] = minEigenvalue + (maxEigenvalue - minEigenvalue) * random.NextDouble();
        var q = new double[dimension * dimension]; // columns are the eigenvectors
        Synthetic.Gaussian.Fill(random, q);
        for (int pass = 0; pass < 2; pass++)
            for (int j = 0; j < dimension; j++)
            {
                for (int k = 0; k < j; k++)
                {
                    double dot = 0;
                    for (int i = 0; i < dimension; i++) dot += q[i * dimension + k] * q[i * dimension + j];
                    for (int i = 0; i < dimension; i++) q[i * dimension + j] -= dot * q[i * dimension + k];
                }
                double norm = 0;
                for (int i = 0; i < dimension; i++) norm += q[i * dimension + j] * q[i * dimension + j];
                norm = Math.Sqrt(norm);
                for (int i = 0; i < dimension; i++) q[i * dimension + j] /= norm;
            }
        var h = new double[dimension * dimension];
        for (int i = 0; i < dimension; i++)
            for (int j = 0; j < dimension; j++)
            {
                double s = 0;
                for (int k = 0; k < dimension; k++) s += q[i * dimension + k] * eigen[k] * q[j * dimension + k];
                h[i * dimension + j] = s;
            }
        return new SpdLeastSquaresLower(h, q, eigen);
    }

    /// <summary>d.</summary>
    public int Dimension => _eigen.Length;

    /// <summary>The eigenvalues λ of H.</summary>
    public ReadOnlySpan<double> Eigenvalues => _eigen;

    /// <summary>H, d×d row-major.</summary>
    public ReadOnlySpan<double> H => _h;

    /// <summary>Q (columns are H's eigenvectors), d×d row-major.</summary>
    public ReadOnlySpan<double> Eigenvectors => _q;

    /// <summary>Largest eigenvalue of H.</summary>
    public double MaxEigenvalue => _eigen.Max();

    /// <summary>g(x, y), writing ∇_x g and ∇_y g into the non-empty spans.</summary>
    internal double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> gradX, Span<double> gradY)
    {
        int d = Dimension;
        var r = _work.AsSpan(); // r = Hy − x
        x.CopyTo(r);
        Blas.Gemv(MatrixLayout.RowMajor, Transpose.NoTrans, d, d, 1.0, _h, d, y, -1.0, r);
        double norm = Blas.Nrm2(r);
        if (!gradX.IsEmpty) for (int i = 0; i < d; i++) gradX[i] = -r[i];
        if (!gradY.IsEmpty) Blas.Gemv(MatrixLayout.RowMajor, Transpose.NoTrans, d, d, 1.0, _h, d, r, 0.0, gradY);
        return 0.5 * norm * norm;
    }

    /// <summary>H·w (scale·H·w).</summary>
    internal void Multiply(ReadOnlySpan<double> w, Span<double> destination, double scale = 1.0) =>
        Blas.Gemv(MatrixLayout.RowMajor, Transpose.NoTrans, Dimension, Dimension, scale, _h, Dimension, w, 0.0, destination);

    /// <summary>H²·w.</summary>
    internal void MultiplySquared(ReadOnlySpan<double> w, Span<double> destination)
    {
        Multiply(w, _work);
        Multiply(_work, destination);
    }

    /// <summary>Applies Q·diag(φ(λ, parameter))·Qᵀ to x: a spectral function of H (H⁻¹ for φ = 1/λ); static lambdas with the parameter passed through allocate nothing.</summary>
    internal void ApplySpectral(ReadOnlySpan<double> x, Func<double, double, double> phi, double parameter, Span<double> destination)
    {
        int d = Dimension;
        Blas.Gemv(MatrixLayout.RowMajor, Transpose.Trans, d, d, 1.0, _q, d, x, 0.0, _work);
        for (int k = 0; k < d; k++) _work[k] *= phi(_eigen[k], parameter);
        Blas.Gemv(MatrixLayout.RowMajor, Transpose.NoTrans, d, d, 1.0, _q, d, _work, 0.0, destination);
    }
}
