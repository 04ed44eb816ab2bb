using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Pbgd.Problems;
using Pbgd.Checkpoints;

namespace Pbgd.Solvers;

/// <summary>
/// Everything that determines a PBGD run's next iterate, bit for bit: the iterates, the oracle's ω and internal
/// state, the problem's internal state (<see cref="IResumable"/>), the iteration counter, the smoothness estimate the steps derive from (computed once at the start, so it
/// is saved, not recomputed), the history so far, and fingerprints of the options and data, against which a
/// resume is checked. Written atomically (temporary file, fsync, rename).
/// </summary>
public sealed record PbgdCheckpoint
{
    /// <summary>Format version of this record.</summary>
    public int Version { get; init; } = 1;
    /// <summary>"PBGD-J" or "PBGD-B".</summary>
    public required string Algorithm { get; init; }
    /// <summary>Iterations taken: the run resumes by evaluating this iteration.</summary>
    public required int Iteration { get; init; }
    /// <summary>u at <see cref="Iteration"/>.</summary>
    public required double[] U { get; init; }
    /// <summary>v at <see cref="Iteration"/>.</summary>
    public required double[] V { get; init; }
    /// <summary>The oracle's last ω (a warm start resumes from it).</summary>
    public required double[] Omega { get; init; }
    /// <summary>The oracle's own state (e.g. its derived step), empty when it has none.</summary>
    public JsonNode? OracleState { get; init; }
    /// <summary>The problem's own state (<see cref="IResumable"/>, e.g. the warm starts of the squared
    /// hyper-cleaning model's conjugate-gradient solves), empty when it has none.</summary>
    public JsonNode? ProblemState { get; init; }
    /// <summary>The smoothness estimate in use.</summary>
    public required Smoothness Smoothness { get; init; }
    /// <summary>Wall-clock seconds spent before the checkpoint.</summary>
    public required double Seconds { get; init; }
    /// <summary>Lower-level steps so far.</summary>
    public int LowerSteps { get; init; }
    /// <summary>Whether a minimum-norm fallback happened so far.</summary>
    public bool RankDeficientSeen { get; init; }
    /// <summary>L_γ increases so far, current streak, longest streak.</summary>
    public int[] IncreaseCounters { get; init; } = [0, 0, 0];
    /// <summary>L_γ and γ of the last evaluation (for the increase detector).</summary>
    public double[] Previous { get; init; } = [double.NaN, double.NaN];
    /// <summary>The logged iterations so far.</summary>
    public required IterationRecord[] History { get; init; }
    /// <summary>Fingerprint of the solver options (algorithm, schedule, steps, limits, tolerances, oracle).</summary>
    public required string OptionsFingerprint { get; init; }
    /// <summary>Fingerprint of the problem data (SHA-256 of the matrices), or "unknown".</summary>
    public required string DataFingerprint { get; init; }

    /// <summary>JSON options: doubles round-trip exactly; NaN and infinities are written as named literals.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>Writes the checkpoint atomically.</summary>
    /// <param name="path">The file.</param>
    public void Save(string path) => AtomicFile.Write(path, s => JsonSerializer.Serialize(s, this, JsonOptions));

    /// <summary>Reads a checkpoint.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is not a Pbgd checkpoint.</exception>
    public static PbgdCheckpoint Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no checkpoint there.", path);
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<PbgdCheckpoint>(stream, JsonOptions) ?? throw new InvalidDataException($"{path}: empty checkpoint.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a Pbgd checkpoint (line {e.LineNumber + 1}: {e.Message})", e);
        }
    }
}
