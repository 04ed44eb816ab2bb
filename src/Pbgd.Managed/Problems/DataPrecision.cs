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
    /// <summary>
    /// X_trn kept in float32 only — no double copy: 0.5× the memory of double data, against Single's 1.5× (X_val, small and
    /// every process's, stays double). The passes <see cref="Single"/> runs in float still do; everything the double path
    /// computes in double (the squared model's values and gradients, conjugate gradients' true residuals and acceptance
    /// test, the normal equations' Gram matrix, smoothness bounds) is computed in double on the float values widened
    /// exactly, so the problem solved is the one of X_trn rounded to float. RXGF's second-order products are not offered.
    /// </summary>
    SingleOnly,
}
