namespace Pbgd.Checkpoints;

/// <summary>An oracle with internal state that a checkpoint must carry for a bit-identical resume.</summary>
public interface IResumableOracle
{
    /// <summary>The state, as numbers.</summary>
    double[] SaveState();

    /// <summary>Restores a state from <see cref="SaveState"/>.</summary>
    /// <param name="state">The saved numbers.</param>
    void RestoreState(ReadOnlySpan<double> state);
}

/// <summary>A problem that can fingerprint its data, so a resume on different data is refused.</summary>
public interface IFingerprinted
{
    /// <summary>A stable hash of the data (hex).</summary>
    string DataFingerprint { get; }
}
