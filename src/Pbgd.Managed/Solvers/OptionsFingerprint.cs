using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Pbgd.Checkpoints;

namespace Pbgd.Solvers;

/// <summary>
/// The fingerprint of a solver's options: SHA-256 of the record's JSON (every public member, recursively, except those
/// marked <see cref="NotFingerprintedAttribute"/>), with the solver's name and whatever else shapes its iterates (the
/// oracle, the problem's dimensions). Deriving it from the record means a new option is covered automatically.
/// </summary>
internal static class OptionsFingerprint
{
    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipNotFingerprinted } },
    };

    /// <summary>The fingerprint of <paramref name="options"/> together with other facts that shape the run.</summary>
    /// <param name="options">The options record (its runtime type is serialised).</param>
    /// <param name="facts">Further facts, e.g. the solver's and the oracle's names and the problem's dimensions.</param>
    public static string Of(SolverOptions options, params object[] facts)
    {
        ArgumentNullException.ThrowIfNull(options);
        string json = JsonSerializer.Serialize(options, options.GetType(), Json);
        return Fingerprint.Of(string.Join("|", facts.Select(f => Convert.ToString(f, System.Globalization.CultureInfo.InvariantCulture))) + "|" + json);
    }

    /// <summary>The JSON the fingerprint hashes (for a readable message when two runs differ).</summary>
    /// <param name="options">The options record.</param>
    public static string Describe(SolverOptions options) => JsonSerializer.Serialize(options, options.GetType(), Json);

    private static void SkipNotFingerprinted(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
            if (property.AttributeProvider is MemberInfo member && member.GetCustomAttribute<NotFingerprintedAttribute>() is not null)
                property.ShouldSerialize = (_, _) => false;
    }
}
