using Pbgd.Tests.Reference;

namespace Pbgd.Tests.Native;

/// The normwise bound used for every product: ‖C − C_ref‖_F ≤ 10·max(1, k)·u·‖|α|·|op(A)|·|op(B)| + |β|·|C₀|‖_F
/// with u = 2⁻⁵³. Both MKL and the reference are within k·u·|…| of the exact result elementwise (standard
/// error analysis of an inner product of length k plus the β term), so their difference is within about
/// 2k·u·‖…‖_F; the factor 10 leaves room for MKL's blocked summation order. A NaN anywhere fails it.
internal static class Normwise
{
    internal static double Limit(int k, double boundNorm) => 10 * Math.Max(1, k) * ManagedBlas.Unit * boundNorm;

    /// Asserts the bound over the elements (i, j) selected by `include`, reading both matrices at the same slots.
    internal static void AssertWithin(Strided actual, Strided expected, Strided bound, int k, string what,
        Func<int, int, bool>? include = null)
    {
        double err = 0, norm = 0;
        for (int i = 0; i < actual.Rows; i++)
            for (int j = 0; j < actual.Cols; j++)
            {
                if (include is not null && !include(i, j)) continue;
                err += Math.Pow(actual[i, j] - expected[i, j], 2);
                norm += Math.Pow(bound[i, j], 2);
            }
        double limit = Limit(k, Math.Sqrt(norm));
        Assert.True(Math.Sqrt(err) <= limit, $"{what}: ‖C − C_ref‖_F = {Math.Sqrt(err):E3} > {limit:E3}");
    }
}
