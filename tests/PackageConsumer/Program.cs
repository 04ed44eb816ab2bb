using System.Globalization;
using Pbgd.Native;

// A consumer of the packed libraries: one product and one least-squares solve, printed for the test to check.
double[] a = [1, 2, 3, 4];
double[] b = [5, 6, 7, 8];
var c = new double[4];
Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, 2, 2, 2, 1.0, a, 2, b, 2, 0.0, c, 2);
// Least squares: fit y = p + q·t through (0, 1), (1, 3), (2, 5): exactly p = 1, q = 2.
double[] design = [1, 0, 1, 1, 1, 2];
double[] rhs = [1, 3, 5];
Lapack.Gels(Transpose.NoTrans, 3, 2, 1, design, 2, rhs, 1);
Console.WriteLine(string.Join(" ", c.Concat(rhs.Take(2)).Select(x => x.ToString("R", CultureInfo.InvariantCulture))));
