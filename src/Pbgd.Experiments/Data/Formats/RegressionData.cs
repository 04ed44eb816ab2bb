using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>Features and real-valued targets (a LIBSVM file read for regression).</summary>
/// <param name="Features">N×m, row-major.</param>
/// <param name="Targets">One target per row.</param>
/// <param name="Source">Name or file the data came from.</param>
public sealed record RegressionData(Matrix Features, double[] Targets, string Source);
