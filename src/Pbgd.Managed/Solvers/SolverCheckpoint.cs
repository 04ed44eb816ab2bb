using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Pbgd.Checkpoints;

namespace Pbgd.Solvers;

/// <summary>
/// Everything that determines a solver run's next iterate, bit for bit: the iterates, the lower-level estimate ω, the
/// solver's own typed state (smoothness estimates, memories, counters), the oracle's and the problem's states
/// (<see cref="IResumable"/>), the counts, the history so far, and fingerprints of the options and data against which a
/// resume is checked. One format for every solver; written atomically (temporary file, fsync, rename).
/// </summary>
public sealed record SolverCheckpoint
{
    /// <summary>The format version this build writes and reads.</summary>
    public const int CurrentVersion = 3;

    /// <summary>Format version of this record.</summary>
    public int Version { get; init; } = CurrentVersion;
    /// <summary>The solver's name ("PBGD-B", "RXGF", …).</summary>
    public required string Algorithm { get; init; }
    /// <summary>Accepted upper steps taken: the run resumes by evaluating this iteration's point.</summary>
    public required int Iteration { get; init; }
    /// <summary>u at <see cref="Iteration"/>.</summary>
    public required double[] U { get; init; }
    /// <summary>v at <see cref="Iteration"/>.</summary>
    public required double[] V { get; init; }
    /// <summary>The lower-level estimate ω (a warm start resumes from it).</summary>
    public required double[] Omega { get; init; }
    /// <summary>The solver's own state (a typed record per solver).</summary>
    public JsonNode? SolverState { get; init; }
    /// <summary>The oracle's state, when it has one.</summary>
    public JsonNode? OracleState { get; init; }
    /// <summary>The problem's state (e.g. its least-squares solvers' warm starts), when it has one.</summary>
    public JsonNode? ProblemState { get; init; }
    /// <summary>The state of whatever observes the run (e.g. an experiment's quality trace and held-out model selection),
    /// carried unread by the solver so a resumed caller can continue it; null when the caller keeps none.</summary>
    public JsonNode? ObserverState { get; init; }
    /// <summary>The work done so far.</summary>
    public SolverCounts Counts { get; init; }
    /// <summary>Solver seconds spent before the checkpoint.</summary>
    public required double Seconds { get; init; }
    /// <summary>L_γ increases so far with γ fixed, the current streak, the longest streak.</summary>
    public int[] IncreaseCounters { get; init; } = [0, 0, 0];
    /// <summary>L_γ and γ of the last evaluation (for the increase detector).</summary>
    public double[] Previous { get; init; } = [double.NaN, double.NaN];
    /// <summary>Set in the last checkpoint of a run that ended for good (converged, iteration limit, diverged): there is
    /// nothing to resume. Null for periodic checkpoints and for interrupted runs.</summary>
    public StopReason? Stopped { get; init; }
    /// <summary>The logged iterations so far.</summary>
    public required IterationRecord[] History { get; init; }
    /// <summary>Fingerprint of the solver options (<see cref="OptionsFingerprint"/>).</summary>
    public required string OptionsFingerprint { get; init; }
    /// <summary>Fingerprint of the problem data, or "unknown".</summary>
    public required string DataFingerprint { get; init; }

    /// <summary>SHA-256 (lowercase hex) of the checkpoint's canonical JSON without <see cref="ContentHash"/> and
    /// <see cref="FieldHashes"/>: set by <see cref="Save"/>, checked by <see cref="Load"/>, so an edited or damaged file is
    /// refused. Null in a checkpoint held in memory.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonPropertyOrder(-2)]
    public string? ContentHash { get; init; }
    /// <summary>A short hash of each field's canonical JSON, so that a refused file names the field that was changed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonPropertyOrder(-1)]
    public IReadOnlyDictionary<string, string>? FieldHashes { get; init; }

    /// <summary>JSON options: doubles round-trip exactly; NaN and infinities are written as named literals.</summary>
    public static JsonSerializerOptions JsonOptions => StateJson.Options;

    /// <summary>Writes the checkpoint atomically, with its content hash.</summary>
    /// <param name="path">The file.</param>
    public void Save(string path)
    {
        var (content, fields) = Hashes(this);
        var sealedCheckpoint = this with { ContentHash = content, FieldHashes = fields };
        AtomicFile.Write(path, s => JsonSerializer.Serialize(s, sealedCheckpoint, JsonOptions));
    }

    // The canonical payload is the record's JSON without the two hash fields, as System.Text.Json writes it; the same
    // values always give the same text (doubles in their shortest round-trip form), so a load recomputes it exactly.
    private static (string Content, Dictionary<string, string> Fields) Hashes(SolverCheckpoint checkpoint)
    {
        var payload = JsonSerializer.SerializeToNode(checkpoint with { ContentHash = null, FieldHashes = null }, JsonOptions)!.AsObject();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in payload)
            fields[name] = Fingerprint.Of(value?.ToJsonString(JsonOptions) ?? "null")[..16];
        return (Fingerprint.Of(payload.ToJsonString(JsonOptions)), fields);
    }

    /// <summary>Reads a checkpoint and checks its format version.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is not a Pbgd checkpoint of this version.</exception>
    public static SolverCheckpoint Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no checkpoint there.", path);
        SolverCheckpoint checkpoint;
        try
        {
            using var stream = File.OpenRead(path);
            checkpoint = JsonSerializer.Deserialize<SolverCheckpoint>(stream, JsonOptions) ?? throw new InvalidDataException($"{path}: empty checkpoint.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a Pbgd checkpoint (line {e.LineNumber + 1}: {e.Message})", e);
        }
        if (checkpoint.Version != CurrentVersion)
            throw new InvalidDataException($"{path}: checkpoint format version {checkpoint.Version}; this build reads version {CurrentVersion}.");
        if (checkpoint.ContentHash is null)
            throw new InvalidDataException($"{path}: the checkpoint has no contentHash; pbgd writes one into every checkpoint, so this file was not written by it or was cut.");
        var (content, fields) = Hashes(checkpoint);
        if (!string.Equals(content, checkpoint.ContentHash, StringComparison.Ordinal))
        {
            var changed = fields.Where(f => checkpoint.FieldHashes is { } saved && saved.TryGetValue(f.Key, out var h) && h != f.Value).Select(f => f.Key).ToList();
            throw new InvalidDataException(changed.Count > 0
                ? $"{path}: the checkpoint's {string.Join(", ", changed)} {(changed.Count == 1 ? "was" : "were")} changed after pbgd wrote it (the field's hash does not match); an edited checkpoint is never resumed: restore the file or start the run again."
                : $"{path}: the checkpoint's content hash does not match its content: the file was changed after pbgd wrote it; an edited checkpoint is never resumed: restore the file or start the run again.");
        }
        return checkpoint;
    }
}
