namespace Pbgd.Distributed;

/// <summary>The communicator of an ordinary run: one process, so every exchange is a copy or nothing.</summary>
public sealed class SingleProcess : ICommunicator
{
    private SingleProcess() { }

    /// <summary>The one instance.</summary>
    public static SingleProcess Instance { get; } = new();

    /// <inheritdoc />
    public int Rank => 0;

    /// <inheritdoc />
    public int Size => 1;

    /// <inheritdoc />
    public string Description => "1 process";

    /// <inheritdoc />
    public void Allreduce(Span<double> values, ReductionOperation operation) { }

    /// <inheritdoc />
    public void Sum(Span<long> values) { }

    /// <inheritdoc />
    public void Allgatherv(ReadOnlySpan<double> mine, Span<double> all, ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements) =>
        mine.CopyTo(all[displacements[0]..]);

    /// <inheritdoc />
    public void Gatherv(ReadOnlySpan<double> mine, Span<double> all, ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements, int root) =>
        mine.CopyTo(all[displacements[0]..]);

    /// <inheritdoc />
    public void Broadcast(Span<double> values, int root) { }

    /// <inheritdoc />
    public void StartSend(ReadOnlyMemory<double> values, int destination, int tag) =>
        throw new InvalidOperationException("a single process has no other rank to send to.");

    /// <inheritdoc />
    public void CompleteSends() { }

    /// <inheritdoc />
    public void Receive(Span<double> values, int source, int tag) =>
        throw new InvalidOperationException("a single process has no other rank to receive from.");

    /// <inheritdoc />
    public void Barrier() { }
}
