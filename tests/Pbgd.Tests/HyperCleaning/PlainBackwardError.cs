using Pbgd.Linalg;
using Pbgd.Tests.Problems;

namespace Pbgd.Tests.HyperCleaning;

/// The normwise backward error of W for the squared problem's two least-squares systems, recomputed in plain loops from
/// the data (an independent reference for the conjugate-gradient solver's acceptance test, which must not be judged by
/// its own BackwardError).
internal static class PlainBackwardError
{
    /// System 1 (γ &lt; 0: (XᵀΨX + λI)W = XᵀΨY) or system 2 ((X_valᵀX_val + γ(XᵀΨX + λI))W = X_valᵀY_val + γXᵀΨY), as
    /// ConjugateGradientSolver defines it: ‖R‖_F / (‖A‖_F‖W‖_F + ‖b‖_F), R from the data (Xᵀψ(Y − XW), not b − AW), and
    /// ‖A‖_F taken as ‖X_valᵀX_val‖_F + γ(‖XᵀΨX‖_F + λ√m) for system 2. ψ is the reference's own sigmoid.
    internal static double Of(Matrix xTrain, Matrix yTrain, Matrix xVal, Matrix yVal, double[] u, double gamma, double ridge, double[] w)
    {
        int m = xTrain.Columns, c = yTrain.Columns;
        var gram = new double[m * m];
        var valGram = new double[m * m];
        var rhs = new double[m * c];
        var valRhs = new double[m * c];
        var residual = new double[m * c];
        var valResidual = new double[m * c];
        void Accumulate(Matrix x, Matrix y, Func<int, double> weight, double[] g, double[] b, double[] r)
        {
            for (int i = 0; i < x.Rows; i++)
            {
                double psi = weight(i);
                for (int j = 0; j < m; j++)
                {
                    for (int k = 0; k < m; k++) g[j * m + k] += psi * x[i, j] * x[i, k];
                    for (int q = 0; q < c; q++)
                    {
                        double fit = 0;
                        for (int k = 0; k < m; k++) fit += x[i, k] * w[k * c + q];
                        b[j * c + q] += psi * x[i, j] * y[i, q];
                        r[j * c + q] += psi * x[i, j] * (y[i, q] - fit);
                    }
                }
            }
        }
        Accumulate(xTrain, yTrain, i => PlainReference.Sigmoid(u[i]), gram, rhs, residual);
        double Norm(IEnumerable<double> a) => Math.Sqrt(a.Sum(x => x * x));
        double normW = Norm(w), gramNorm = Norm(gram) + ridge * Math.Sqrt(m);
        if (gamma < 0)
            return Norm(residual.Select((r, k) => r - ridge * w[k])) / (gramNorm * normW + Norm(rhs));
        Accumulate(xVal, yVal, _ => 1.0, valGram, valRhs, valResidual);
        return Norm(valResidual.Select((r, k) => r + gamma * (residual[k] - ridge * w[k])))
               / ((Norm(valGram) + gamma * gramNorm) * normW + Norm(valRhs.Select((b, k) => b + gamma * rhs[k])));
    }
}
