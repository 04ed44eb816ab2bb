using Pbgd.Native;

namespace Pbgd.Distributed;

/// <summary>
/// <c>MPI_COMM_WORLD</c> through Pbgd's own binding (<see cref="Mpi"/>). Create it after <see cref="Mpi.Init"/>; every
/// process of the job must make the same calls in the same order (the solvers and <see cref="RowShard"/> do).
/// </summary>
public sealed class MpiCommunicator : ICommunicator
{
    private MpiRequest[] _pending = new MpiRequest[16];
    private int _pendingCount;

    /// <summary>The world communicator (MPI must be initialised).</summary>
    public MpiCommunicator()
    {
        if (!Mpi.IsInitialized) throw new InvalidOperationException("MPI is not initialised: call Mpi.Init() first.");
        (Rank, Size) = (Mpi.Rank, Mpi.Size);
        Description = $"MPI: {Size} rank{(Size == 1 ? "" : "s")}, {MpiLibrary.LibraryVersion.Split(',')[0]}";
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int Size { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public void Allreduce(Span<double> values, ReductionOperation operation) =>
        Mpi.Allreduce(values, operation == ReductionOperation.Max ? MpiOp.Max : MpiOp.Min);

    /// <inheritdoc />
    public void Sum(Span<long> values) => Mpi.Allreduce(values, MpiOp.Sum);

    /// <inheritdoc />
    public void Allgatherv(ReadOnlySpan<double> mine, Span<double> all, ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements) =>
        Mpi.Allgatherv(mine, all, counts, displacements);

    /// <inheritdoc />
    public void Gatherv(ReadOnlySpan<double> mine, Span<double> all, ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements, int root) =>
        Mpi.Gatherv(mine, all, counts, displacements, root);

    /// <inheritdoc />
    public void Broadcast(Span<double> values, int root) => Mpi.Broadcast(values, root);

    /// <inheritdoc />
    public void StartSend(ReadOnlyMemory<double> values, int destination, int tag)
    {
        if (_pendingCount == _pending.Length) Array.Resize(ref _pending, 2 * _pending.Length);
        _pending[_pendingCount++] = Mpi.Isend(values, destination, tag);
    }

    /// <inheritdoc />
    public void CompleteSends()
    {
        Mpi.WaitAll(_pending.AsSpan(0, _pendingCount));
        _pendingCount = 0;
    }

    /// <inheritdoc />
    public void Receive(Span<double> values, int source, int tag) => Mpi.Recv(values, source, tag);

    /// <inheritdoc />
    public void Barrier() => Mpi.Barrier();
}
