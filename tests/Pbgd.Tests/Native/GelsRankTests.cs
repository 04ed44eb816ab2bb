using Pbgd.Native;

namespace Pbgd.Tests.Native;

/// What Lapack.Gels says of rank deficiency, checked: LAPACK's dgels reports only an exactly zero diagonal element of its
/// triangular factor. Collinear columns leave a rounding-size element instead, and the call returns a meaningless
/// solution without an exception; Gelsd sees the rank.
public class GelsRankTests
{
    // Column 2 = 2 × column 1: rank 1. b is not in the range of A.
    private static double[] Collinear() => [1, 2, 2, 4, 3, 6];

    [Fact]
    public void CollinearColumnsAreNotDetectedAndGiveAMeaninglessSolution()
    {
        var a = Collinear();
        double[] b = [1, 2, 4];
        Lapack.Gels(Transpose.NoTrans, 3, 2, 1, a, 2, b, 1); // no exception: the documented contract
        // R's second diagonal element is rounding noise, not zero, so the back substitution divides by it.
        Assert.NotEqual(0.0, a[3]);
        Assert.InRange(Math.Abs(a[3]), 0, 1e-13 * Math.Abs(a[0]));
        Assert.True(Math.Abs(b[0]) > 1e10 && Math.Abs(b[1]) > 1e10, $"x = ({b[0]}, {b[1]})");
    }

    [Fact]
    public void GelsdReportsTheRankAndTheMinimumNormSolution()
    {
        var a = Collinear();
        double[] b = [1, 2, 4];
        var s = new double[2];
        int rank = Lapack.Gelsd(3, 2, 1, a, 2, b, 1, s, rcond: -1);
        Assert.Equal(1, rank);
        // The least-squares solutions are x₁ + 2x₂ = t with t = (1·1 + 2·2 + 3·4)/14 = 17/14; the minimum-norm one is
        // t·(1, 2)/5.
        double t = 17.0 / 14;
        Assert.Equal(t / 5, b[0], 12);
        Assert.Equal(2 * t / 5, b[1], 12);
    }

    [Fact]
    public void AnExactlyZeroColumnIsReported()
    {
        double[] a = [1, 0, 2, 0, 3, 0];
        double[] b = [1, 2, 4];
        var e = Assert.Throws<MatrixSingularException>(() => Lapack.Gels(Transpose.NoTrans, 3, 2, 1, a, 2, b, 1));
        Assert.Equal(2, e.Info);
        Assert.Contains("exactly zero", e.Message);
    }
}
