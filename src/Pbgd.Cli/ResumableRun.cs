using System.Text.Json;
using System.Text.Json.Nodes;
using Pbgd.Checkpoints;
using Pbgd.Data;
using Pbgd.Experiments;
using Pbgd.Reporting;

namespace Pbgd.Cli;

/// What `pbgd resume DIR` needs besides the solver checkpoint: the run's configuration, where its outputs go, and the
/// facts a resume must find unchanged to repeat the run to the bit: MKL's reproducibility mode and thread count, and
/// the prepared data part by part. Written into the checkpoint folder when the run starts, sealed by a content hash
/// so that an edited file (say a changed thread count) is refused rather than run.
internal sealed record ResumableRun(HyperCleaningConfig Config, string OutDirectory, string? DataDirectory,
    string MklReproducibility, int MklThreads, DataFacts Data)
{
    internal const string FileName = "run.json";

    internal void Save(string checkpointDirectory) =>
        AtomicFile.WriteText(Path.Combine(checkpointDirectory, FileName), w => w.Write(SealedJson.Seal(this, HyperCleaningSummary.JsonOptions)));

    /// Reads and checks run.json; InvalidDataException (exit 2) naming what is wrong.
    internal static ResumableRun Load(string checkpointDirectory)
    {
        string path = Path.Combine(checkpointDirectory, FileName);
        if (!Directory.Exists(checkpointDirectory) && !File.Exists(checkpointDirectory))
            throw new DirectoryNotFoundException($"{checkpointDirectory}: no such folder; resume takes the --checkpoint folder of a run.");
        if (Directory.Exists(checkpointDirectory) && !File.Exists(path))
            throw new FileNotFoundException($"{checkpointDirectory}: no {FileName}; is this a --checkpoint folder?", path);
        string text = InputFiles.ReadAllText(path);
        return SealedJson.Unseal<ResumableRun>(text, path, HyperCleaningSummary.JsonOptions);
    }
}

/// The prepared data of a run, part by part: sizes and hashes, so a resume on other data names what changed.
internal sealed record DataFacts(string Description, int Classes, PartFacts Train, PartFacts Validation, PartFacts Test)
{
    internal static DataFacts Of(PreparedDataset d) => new(d.Description, d.ClassCount,
        Part(d.XTrain, Fingerprint.Of(d.YTrain)), Part(d.XValidation, Fingerprint.Of(d.YValidation)),
        Part(d.XTest, Fingerprint.Of(string.Join(",", d.TestLabels))));

    private static PartFacts Part(Pbgd.Linalg.Matrix x, string labels) => new(x.Rows, x.Columns, Fingerprint.Of(x), labels);

    /// What differs between the data a run had and the data now, in words (empty when nothing does).
    internal IReadOnlyList<string> Differences(DataFacts now)
    {
        var list = new List<string>();
        if (Classes != now.Classes) list.Add($"{Classes} classes then, {now.Classes} now");
        Compare("training set", Train, now.Train, list);
        Compare("validation set", Validation, now.Validation, list);
        Compare("test set", Test, now.Test, list);
        return list;
    }

    private static void Compare(string name, PartFacts then, PartFacts now, List<string> list)
    {
        if (then.Rows != now.Rows || then.Columns != now.Columns)
            list.Add($"the {name} was {then.Rows}×{then.Columns}, it is {now.Rows}×{now.Columns} now");
        else
        {
            if (then.Features != now.Features) list.Add($"the {name}'s feature values differ (same size {now.Rows}×{now.Columns})");
            if (then.Labels != now.Labels) list.Add($"the {name}'s labels differ");
        }
    }
}

/// One part of the data: its size and hashes of its features and labels.
internal sealed record PartFacts(int Rows, int Columns, string Features, string Labels);

/// JSON sealed by a content hash of its canonical form, with a short hash per field (two levels deep, "config.threads"),
/// so that an edited file is refused naming the field that changed.
internal static class SealedJson
{
    private const string ContentHash = "contentHash", FieldHashes = "fieldHashes";

    internal static string Seal<T>(T value, JsonSerializerOptions options)
    {
        var payload = JsonSerializer.SerializeToNode(value, options)!.AsObject();
        var (content, fields) = Hashes(payload, options);
        var sealedNode = new JsonObject { [ContentHash] = content, [FieldHashes] = JsonSerializer.SerializeToNode(fields, options) };
        foreach (var (name, node) in payload) sealedNode[name] = node?.DeepClone();
        return sealedNode.ToJsonString(options);
    }

    internal static T Unseal<T>(string text, string path, JsonSerializerOptions options)
    {
        JsonObject node;
        try { node = JsonNode.Parse(text)?.AsObject() ?? throw new InvalidDataException($"{path}: empty."); }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { throw new InvalidDataException($"{path}: not JSON ({e.Message})", e); }
        string? stored = node[ContentHash]?.GetValue<string>();
        var storedFields = node[FieldHashes]?.Deserialize<Dictionary<string, string>>(options);
        node.Remove(ContentHash);
        node.Remove(FieldHashes);
        T value;
        try { value = node.Deserialize<T>(options) ?? throw new InvalidDataException($"{path}: empty."); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: unreadable{(e.Path is { } p ? $" at {p}" : "")} ({e.Message})", e); }
        if (stored is null) throw new InvalidDataException($"{path}: no {ContentHash}; pbgd writes one into this file, so it was not written by this version of pbgd or it was cut.");
        // The canonical form is the one the typed value serialises to, so only a change of a value counts.
        var (content, fields) = Hashes(JsonSerializer.SerializeToNode(value, options)!.AsObject(), options);
        if (content == stored) return value;
        var changed = fields.Where(f => storedFields is not null && storedFields.TryGetValue(f.Key, out var h) && h != f.Value).Select(f => f.Key).ToList();
        throw new InvalidDataException(changed.Count > 0
            ? $"{path}: {string.Join(", ", changed)} {(changed.Count == 1 ? "was" : "were")} changed after pbgd wrote the file (its hash does not match); an edited file is never resumed: restore it or start the run again."
            : $"{path}: the content hash does not match: the file was changed after pbgd wrote it; an edited file is never resumed: restore it or start the run again.");
    }

    private static (string Content, SortedDictionary<string, string> Fields) Hashes(JsonObject payload, JsonSerializerOptions options)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in payload)
        {
            if (value is JsonObject inner)
                foreach (var (innerName, innerValue) in inner) fields[$"{name}.{innerName}"] = Short(innerValue, options);
            else fields[name] = Short(value, options);
        }
        return (Fingerprint.Of(payload.ToJsonString(options)), fields);
    }

    private static string Short(JsonNode? node, JsonSerializerOptions options) => Fingerprint.Of(node?.ToJsonString(options) ?? "null")[..16];
}
