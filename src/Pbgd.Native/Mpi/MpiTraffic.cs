namespace Pbgd.Native;

/// <summary>
/// Calls and payload bytes of the MPI wrappers (<see cref="Mpi"/>), per operation: what the data-parallel solvers put on
/// the network, counted at the source. Sent bytes are this process's contribution, received bytes what lands in its
/// buffers (an allreduce of n doubles counts 8n each way; the library's own algorithm may move more).
/// </summary>
public sealed class MpiTraffic
{
    /// <summary>The counted operations.</summary>
    public enum Operation
    {
        /// <summary>MPI_Allreduce.</summary>
        Allreduce,
        /// <summary>MPI_Allgatherv.</summary>
        Allgather,
        /// <summary>MPI_Gatherv.</summary>
        Gather,
        /// <summary>MPI_Bcast.</summary>
        Broadcast,
        /// <summary>MPI_Send, MPI_Isend, MPI_Recv (one message each).</summary>
        PointToPoint,
        /// <summary>MPI_Barrier.</summary>
        Barrier,
    }

    private readonly long[] _calls = new long[6], _sent = new long[6], _received = new long[6];

    // One instance, the process's (Mpi.Traffic): the counters are the binding's, not the caller's to create.
    internal MpiTraffic() { }

    internal void Count(Operation op, long sent, long received)
    {
        _calls[(int)op]++;
        _sent[(int)op] += sent;
        _received[(int)op] += received;
    }

    /// <summary>Calls of an operation.</summary>
    /// <param name="op">The operation.</param>
    public long Calls(Operation op) => _calls[(int)op];

    /// <summary>Payload bytes this process sent in an operation.</summary>
    /// <param name="op">The operation.</param>
    public long SentBytes(Operation op) => _sent[(int)op];

    /// <summary>Payload bytes this process received in an operation.</summary>
    /// <param name="op">The operation.</param>
    public long ReceivedBytes(Operation op) => _received[(int)op];

    /// <summary>Calls of every operation.</summary>
    public long TotalCalls => _calls.Sum();

    /// <summary>Payload bytes sent in every operation.</summary>
    public long TotalSentBytes => _sent.Sum();

    /// <summary>Payload bytes received in every operation.</summary>
    public long TotalReceivedBytes => _received.Sum();

    /// <summary>A copy of the counters (calls, sent, received per operation) for differences over a window.</summary>
    public (long[] Calls, long[] Sent, long[] Received) Snapshot() => ((long[])_calls.Clone(), (long[])_sent.Clone(), (long[])_received.Clone());

    /// <summary>Sets every counter to zero.</summary>
    public void Reset()
    {
        Array.Clear(_calls);
        Array.Clear(_sent);
        Array.Clear(_received);
    }
}
