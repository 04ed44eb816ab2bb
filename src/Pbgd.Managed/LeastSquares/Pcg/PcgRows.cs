using Pbgd.Kernels;

namespace Pbgd.LeastSquares;

/// <summary>
/// The per-row step of the conjugate-gradient passes over X_trn. Weighted: coef = ψ_i·z_i (A·P). Residual: coef =
/// [ψ_i(y_i − z_i) for each system being checked, ψ_i·y_i], so the true residuals and XᵀΨY come from one pass, and
/// ‖y_i − z_i‖² per row, summed as the problem's own residual pass sums it (what makes <see cref="VerifiedResiduals"/>
/// equal to that pass, to the bit).
/// </summary>
internal sealed class PcgRows(int c) : IRowOperation
{
    internal enum Mode { Weighted, Residual }

    private double[] _y = [], _psi = [], _squares1 = [], _squares2 = [];
    private Mode _mode;
    private int _models;
    private bool _withRhs;

    internal void Set(double[] y, double[] psi, Mode mode, int models, bool withRhs = false, double[]? squares1 = null, double[]? squares2 = null) =>
        (_y, _psi, _mode, _models, _withRhs, _squares1, _squares2) = (y, psi, mode, models, withRhs, squares1 ?? [], squares2 ?? []);

    internal void Clear() => (_y, _psi, _squares1, _squares2) = ([], [], [], []);

    public void Apply(int part, int row, ReadOnlySpan<double> z, Span<double> coef)
    {
        double psi = _psi[row];
        int k = _models * c;
        if (_mode == Mode.Weighted)
        {
            for (int j = 0; j < k; j++) coef[j] = psi * z[j];
            return;
        }
        var y = _y.AsSpan(row * c, c);
        for (int s = 0; s < _models; s++)
        {
            double rr = 0;
            for (int j = 0; j < c; j++)
            {
                double r = y[j] - z[s * c + j];
                rr += r * r;
                coef[s * c + j] = psi * r;
            }
            (s == 0 ? _squares1 : _squares2)[row] = rr;
        }
        if (_withRhs)
            for (int j = 0; j < c; j++) coef[k + j] = psi * y[j];
    }
}
