using Pbgd.Linalg;
using Pbgd.Synthetic;

namespace Pbgd.Tests.HyperCleaning;

/// Realistic hyper-cleaning data made rank-deficient the way MNIST is: columns 2 and 9 all zero (Householder QR meets
/// an exact zero pivot, so gels gives up and gelsd answers) and column 5 = column 3 + column 4 in both sets (a
/// numerically singular Gram matrix even without those columns, so the normal equations' conditioning check rejects
/// them). The dependent direction is annihilated by X_trn and X_val alike, so every least-squares solution has the
/// same f and g; only the minimum-norm one (gelsd) is unique.
internal static class RankDeficientData
{
    internal static readonly int[] ZeroColumns = [2, 9];

    internal static HyperCleaningInstance Create(int train, int validation, int features, int classes, int seed)
    {
        var d = HyperCleaningGenerator.Realistic(train, validation, features, classes, 0.4, seed);
        return d with { XTrain = Deficient(d.XTrain), XValidation = Deficient(d.XValidation) };
    }

    private static Matrix Deficient(Matrix x)
    {
        var y = x.Clone();
        for (int i = 0; i < y.Rows; i++)
        {
            foreach (int j in ZeroColumns) y[i, j] = 0;
            y[i, 5] = y[i, 3] + y[i, 4];
        }
        return y;
    }
}
