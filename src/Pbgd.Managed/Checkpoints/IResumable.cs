using System.Text.Json.Nodes;

namespace Pbgd.Checkpoints;

/// <summary>
/// A component with internal state that shapes its future answers (an oracle's derived step, the warm starts of an
/// iterative least-squares solver, a quasi-Newton memory): a checkpoint carries it so a resumed run repeats the
/// uninterrupted one to the bit. The state is a typed record serialised to JSON (<see cref="StateJson"/>), so a
/// checkpoint names its fields and a damaged one is refused with the field that is wrong.
/// </summary>
public interface IResumable
{
    /// <summary>The state, as a JSON node.</summary>
    JsonNode SaveState();

    /// <summary>Restores a state written by <see cref="SaveState"/> of a component with the same data and options.</summary>
    /// <param name="state">The saved state.</param>
    /// <exception cref="InvalidDataException">The state does not fit this component; the message names the field.</exception>
    void RestoreState(JsonNode state);
}

/// <summary>A problem that can fingerprint its data, so a resume on different data is refused.</summary>
public interface IFingerprinted
{
    /// <summary>A stable hash of the data (hex).</summary>
    string DataFingerprint { get; }
}
