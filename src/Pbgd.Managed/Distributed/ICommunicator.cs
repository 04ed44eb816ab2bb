namespace Pbgd.Distributed;

/// <summary>
/// The processes a data-parallel run is spread over, and the few exchanges the core needs between them. The core never
/// names MPI: it receives a communicator — <see cref="SingleProcess.Instance"/> (one process, every exchange a copy or
/// nothing) or an MPI one — and does every sum over distributed rows through <see cref="RowShard"/>, whose fixed
/// partition and fixed combination order make the result independent of <see cref="Size"/>.
/// </summary>
/// <remarks>Element-wise <see cref="Allreduce(Span{double}, ReductionOperation)"/> is offered for maximum and minimum
/// only: a floating-point sum combined in the library's order would depend on the number of processes.</remarks>
public interface ICommunicator
{
    /// <summary>This process's index, 0 … <see cref="Size"/> − 1.</summary>
    int Rank { get; }

    /// <summary>The number of processes.</summary>
    int Size { get; }

    /// <summary>A short description for reports ("1 process", "MPI: 3 ranks, Open MPI v4.1.4").</summary>
    string Description { get; }

    /// <summary>Element-wise maximum or minimum over all processes, in place (exact in any order).</summary>
    /// <param name="values">This process's values in, the reduction out.</param>
    /// <param name="operation">Maximum or minimum.</param>
    void Allreduce(Span<double> values, ReductionOperation operation);

    /// <summary>Element-wise sum of integers over all processes, in place (exact in any order).</summary>
    /// <param name="values">This process's values in, the sums out.</param>
    void Sum(Span<long> values);

    /// <summary>Every process's block, in rank order, on every process.</summary>
    /// <param name="mine">This process's block (length counts[Rank]).</param>
    /// <param name="all">Receives block r at displacements[r].</param>
    /// <param name="counts">Block lengths per rank.</param>
    /// <param name="displacements">Block offsets per rank.</param>
    void Allgatherv(ReadOnlySpan<double> mine, Span<double> all, ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements);

    /// <summary>Every process's block, in rank order, on <paramref name="root"/>.</summary>
    /// <param name="mine">This process's block.</param>
    /// <param name="all">On the root: receives the blocks (elsewhere ignored).</param>
    /// <param name="counts">Block lengths per rank.</param>
    /// <param name="displacements">Block offsets per rank.</param>
    /// <param name="root">The receiving rank.</param>
    void Gatherv(ReadOnlySpan<double> mine, Span<double> all, ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements, int root);

    /// <summary>The root's values on every process.</summary>
    /// <param name="values">In on the root, out everywhere.</param>
    /// <param name="root">The sending rank.</param>
    void Broadcast(Span<double> values, int root);

    /// <summary>Starts sending <paramref name="values"/> to <paramref name="destination"/>; the buffer must not change until
    /// <see cref="CompleteSends"/>.</summary>
    /// <param name="values">The message.</param>
    /// <param name="destination">Another rank.</param>
    /// <param name="tag">0 … 32 767.</param>
    void StartSend(ReadOnlyMemory<double> values, int destination, int tag);

    /// <summary>Waits for every send started since the last call.</summary>
    void CompleteSends();

    /// <summary>Receives exactly <paramref name="values"/>.Length values from <paramref name="source"/>.</summary>
    /// <param name="values">Receives the message.</param>
    /// <param name="source">Another rank.</param>
    /// <param name="tag">0 … 32 767.</param>
    void Receive(Span<double> values, int source, int tag);

    /// <summary>Waits until every process has called it.</summary>
    void Barrier();
}

/// <summary>Order-independent element-wise reductions.</summary>
public enum ReductionOperation
{
    /// <summary>Maximum.</summary>
    Max,
    /// <summary>Minimum.</summary>
    Min,
}
