namespace Pbgd.Problems;

/// <summary>How a problem stores the feature matrices its first-order passes read.</summary>
public enum DataPrecision
{
    /// <summary>float64 throughout (the default; what the tests' references and the paper's tables assume).</summary>
    Double,
    /// <summary>
    /// A float32 copy of X_trn and X_val feeds every gradient and value pass: half the bytes, and products computed 16
    /// lanes at a time in single precision, with the sums over rows carried in double (see the kernels'
    /// <c>FusedRowPass</c>). Gradients are then accurate to about 1e−6 relative instead of 1e−15. Everything else
    /// (second-order products, scores on new data, smoothness bounds, fingerprints) uses the double matrices the
    /// problem was built from.
    /// </summary>
    Single,
}
