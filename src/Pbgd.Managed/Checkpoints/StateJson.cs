using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Pbgd.Checkpoints;

/// <summary>
/// Serialisation of components' typed states and of checkpoints: doubles round-trip exactly (the shortest
/// round-trip form), NaN and infinities are written as named literals, names are camelCase. A state that lacks a field
/// of its record (a positional parameter or a <c>required</c> property) is refused, naming the field, rather than read
/// as its default.
/// </summary>
public static class StateJson
{
    /// <summary>The options every checkpoint and state uses.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>A typed state as a JSON node.</summary>
    /// <typeparam name="T">The state record.</typeparam>
    /// <param name="state">The state.</param>
    public static JsonNode ToNode<T>(T state) => JsonSerializer.SerializeToNode(state, Options)
        ?? throw new InvalidOperationException($"{typeof(T).Name} serialised to null.");

    /// <summary>A typed state back from its node.</summary>
    /// <typeparam name="T">The state record.</typeparam>
    /// <param name="node">The node.</param>
    /// <param name="what">What the state belongs to, for the message (e.g. "the iterative oracle's state").</param>
    /// <exception cref="InvalidDataException">The node is not a <typeparamref name="T"/>.</exception>
    public static T FromNode<T>(JsonNode? node, string what)
    {
        if (node is null) throw new InvalidDataException($"{what} is missing.");
        try
        {
            return node.Deserialize<T>(Options) ?? throw new InvalidDataException($"{what} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what} is not readable{(e.Path is { } p ? $" at {p}" : "")}: {e.Message}", e);
        }
    }

    /// <summary>Checks that an array field has the expected length.</summary>
    /// <param name="values">The array (null counts as missing).</param>
    /// <param name="length">Expected length.</param>
    /// <param name="field">The field's name in the state, for the message.</param>
    /// <exception cref="InvalidDataException">Missing or of another length.</exception>
    public static double[] Require(double[]? values, int length, string field)
    {
        if (values is null) throw new InvalidDataException($"{field} is missing.");
        if (values.Length != length) throw new InvalidDataException($"{field} has {values.Length} numbers; expected {length}.");
        return values;
    }
}
