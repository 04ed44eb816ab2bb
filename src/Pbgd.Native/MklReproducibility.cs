namespace Pbgd.Native;

/// <summary>
/// MKL's conditional numerical reproducibility (CNR) branch, the values of <c>MKL_CBWR_*</c>.
/// A fixed branch (with a fixed thread count and dynamic threading off) makes MKL's results bit-identical
/// from run to run on the same machine. It can only be chosen before MKL's first call: see
/// <see cref="MklLibrary.Configure(MklReproducibility, bool)"/>.
/// </summary>
public enum MklReproducibility
{
    /// <summary>CNR off: MKL picks the fastest code path, results may differ between runs.</summary>
    Off = 0,
    /// <summary>No branch chosen (MKL's default when CNR was never configured; <c>MKL_CBWR_BRANCH_OFF</c>).</summary>
    BranchOff = 1,
    /// <summary>CNR on with the code path MKL would pick for this CPU.</summary>
    Auto = 2,
    /// <summary>The most portable path (same results on any Intel-compatible CPU).</summary>
    Compatible = 3,
    /// <summary>SSE2 code path.</summary>
    Sse2 = 4,
    /// <summary>SSE4.2 code path.</summary>
    Sse4_2 = 8,
    /// <summary>AVX code path.</summary>
    Avx = 9,
    /// <summary>AVX2 code path.</summary>
    Avx2 = 10,
    /// <summary>AVX-512 code path.</summary>
    Avx512 = 12,
}
