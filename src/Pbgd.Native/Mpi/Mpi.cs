using System.Buffers;
using System.Runtime.InteropServices;
using Pbgd.Native.Interop;

namespace Pbgd.Native;

/// <summary>Reduction operations of <see cref="Mpi.Allreduce(Span{double}, MpiOp)"/>.</summary>
public enum MpiOp
{
    /// <summary>Sum (order of combination chosen by the library: not reproducible across rank counts for floating point).</summary>
    Sum,
    /// <summary>Maximum (exact, order-independent).</summary>
    Max,
    /// <summary>Minimum (exact, order-independent).</summary>
    Min,
}

/// <summary>A pending non-blocking send (<see cref="Mpi.Isend"/>); complete it with <see cref="Mpi.WaitAll"/>. It keeps
/// its buffer pinned until then.</summary>
public struct MpiRequest
{
    internal long Handle;
    internal MemoryHandle Pin;
    internal bool Active;
}

/// <summary>
/// Validated, span-based wrappers of the MPI calls Pbgd uses, on <c>MPI_COMM_WORLD</c>: initialisation, rank and size,
/// allreduce, allgather(v), gather(v), broadcast, point-to-point send and receive, barrier, abort. Every size is checked
/// before the native call; every call is counted in <see cref="Traffic"/> (calls and payload bytes per operation), which is
/// what the MPI benchmark reports per iteration.
/// </summary>
public static unsafe class Mpi
{
    private static int _rank = -1, _size = -1;

    /// <summary>Calls and payload bytes per operation since the process started (or <see cref="MpiTraffic.Reset"/>).</summary>
    public static MpiTraffic Traffic { get; } = new();

    /// <summary>Whether <c>MPI_Init</c> has run (and <c>MPI_Finalize</c> has not).</summary>
    public static bool IsInitialized
    {
        get
        {
            if (!MpiLibrary.IsLoaded) return false;
            int initialized, finalized;
            Check(MpiInterop.Initialized(&initialized), "MPI_Initialized");
            Check(MpiInterop.Finalized(&finalized), "MPI_Finalized");
            return initialized != 0 && finalized == 0;
        }
    }

    /// <summary>The thread support the library granted at <see cref="Init"/> (MPI_THREAD_SERIALIZED = 2 is asked for:
    /// MPI is called from one thread at a time, not always the one that initialised it).</summary>
    public static int ThreadSupport { get; private set; } = -1;

    /// <summary>Loads the library if needed and calls <c>MPI_Init_thread</c> (idempotent).</summary>
    /// <exception cref="MpiNotFoundException">No MPI library could be loaded.</exception>
    public static void Init()
    {
        MpiLibrary.EnsureLoaded();
        if (IsInitialized) return;
        int provided;
        Check(MpiInterop.InitThread(null, null, 2, &provided), "MPI_Init_thread");
        ThreadSupport = provided;
        int rank, size;
        Check(MpiInterop.CommRank(MpiLibrary.CommWorld, &rank), "MPI_Comm_rank");
        Check(MpiInterop.CommSize(MpiLibrary.CommWorld, &size), "MPI_Comm_size");
        (_rank, _size) = (rank, size);
    }

    /// <summary>Calls <c>MPI_Finalize</c> if MPI is initialised (named Shutdown: C# reserves Finalize for destructors).</summary>
    public static void Shutdown()
    {
        if (!IsInitialized) return;
        Check(MpiInterop.Finalize(), "MPI_Finalize");
    }

    /// <summary>This process's rank in <c>MPI_COMM_WORLD</c>.</summary>
    public static int Rank => _rank >= 0 ? _rank : throw NotInitialized();

    /// <summary>The number of processes in <c>MPI_COMM_WORLD</c>.</summary>
    public static int Size => _size >= 0 ? _size : throw NotInitialized();

    /// <summary>Ends every process of the job with <paramref name="errorCode"/> (mpirun returns it). Does not return.</summary>
    /// <param name="errorCode">The exit code.</param>
    public static void Abort(int errorCode)
    {
        MpiInterop.Abort(MpiLibrary.CommWorld, errorCode);
        Environment.Exit(errorCode); // not reached with a conforming library
    }

    /// <summary>Waits until every process has called it.</summary>
    public static void Barrier()
    {
        RequireInit();
        Check(MpiInterop.Barrier(MpiLibrary.CommWorld), "MPI_Barrier");
        Traffic.Count(MpiTraffic.Operation.Barrier, 0, 0);
    }

    /// <summary>In-place element-wise reduction over all processes.</summary>
    /// <param name="values">This process's values in, the reduction out (same length on every process).</param>
    /// <param name="op">The operation.</param>
    public static void Allreduce(Span<double> values, MpiOp op)
    {
        RequireInit();
        if (values.IsEmpty) return;
        fixed (double* p = values)
            Check(MpiInterop.Allreduce(MpiLibrary.InPlace, p, values.Length, MpiLibrary.Double, Op(op), MpiLibrary.CommWorld), "MPI_Allreduce");
        Traffic.Count(MpiTraffic.Operation.Allreduce, values.Length * 8L, values.Length * 8L);
    }

    /// <summary>In-place element-wise reduction of 64-bit integers over all processes (exact for any order).</summary>
    /// <param name="values">This process's values in, the reduction out.</param>
    /// <param name="op">The operation.</param>
    public static void Allreduce(Span<long> values, MpiOp op)
    {
        RequireInit();
        if (values.IsEmpty) return;
        fixed (long* p = values)
            Check(MpiInterop.Allreduce(MpiLibrary.InPlace, p, values.Length, MpiLibrary.Int64, Op(op), MpiLibrary.CommWorld), "MPI_Allreduce");
        Traffic.Count(MpiTraffic.Operation.Allreduce, values.Length * 8L, values.Length * 8L);
    }

    /// <summary>Every process's block, concatenated in rank order, on every process.</summary>
    /// <param name="send">This process's block (its length must equal <paramref name="counts"/>[rank]).</param>
    /// <param name="receive">Receives the blocks: block r at <paramref name="displacements"/>[r].</param>
    /// <param name="counts">Block lengths, one per rank.</param>
    /// <param name="displacements">Block offsets in <paramref name="receive"/>, one per rank.</param>
    public static void Allgatherv(ReadOnlySpan<double> send, Span<double> receive, ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements)
    {
        RequireInit();
        CheckBlocks(send.Length, receive.Length, counts, displacements);
        fixed (double* s = send) fixed (double* r = receive) fixed (int* c = counts) fixed (int* d = displacements)
            Check(MpiInterop.Allgatherv(s, send.Length, MpiLibrary.Double, r, c, d, MpiLibrary.Double, MpiLibrary.CommWorld), "MPI_Allgatherv");
        Traffic.Count(MpiTraffic.Operation.Allgather, send.Length * 8L, Sum(counts) * 8L);
    }

    /// <summary>Every process's block, concatenated in rank order, on <paramref name="root"/> only.</summary>
    /// <param name="send">This process's block.</param>
    /// <param name="receive">On the root: receives the blocks (ignored elsewhere; may be empty).</param>
    /// <param name="counts">Block lengths, one per rank (read on the root).</param>
    /// <param name="displacements">Block offsets, one per rank (read on the root).</param>
    /// <param name="root">The receiving rank.</param>
    public static void Gatherv(ReadOnlySpan<double> send, Span<double> receive, ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements, int root)
    {
        RequireInit();
        CheckRank(root, nameof(root));
        if (Rank == root) CheckBlocks(send.Length, receive.Length, counts, displacements);
        fixed (double* s = send) fixed (double* r = receive) fixed (int* c = counts) fixed (int* d = displacements)
            Check(MpiInterop.Gatherv(s, send.Length, MpiLibrary.Double, r, c, d, MpiLibrary.Double, root, MpiLibrary.CommWorld), "MPI_Gatherv");
        Traffic.Count(MpiTraffic.Operation.Gather, send.Length * 8L, Rank == root ? Sum(counts) * 8L : 0);
    }

    /// <summary>Copies <paramref name="root"/>'s values to every process.</summary>
    /// <param name="values">The root's values in; every process's out (same length everywhere).</param>
    /// <param name="root">The sending rank.</param>
    public static void Broadcast(Span<double> values, int root)
    {
        RequireInit();
        CheckRank(root, nameof(root));
        if (values.IsEmpty) return;
        fixed (double* p = values)
            Check(MpiInterop.Bcast(p, values.Length, MpiLibrary.Double, root, MpiLibrary.CommWorld), "MPI_Bcast");
        Traffic.Count(MpiTraffic.Operation.Broadcast, Rank == root ? values.Length * 8L : 0, Rank == root ? 0 : values.Length * 8L);
    }

    /// <summary>Copies <paramref name="root"/>'s bytes to every process.</summary>
    /// <param name="values">The root's bytes in; every process's out.</param>
    /// <param name="root">The sending rank.</param>
    public static void Broadcast(Span<byte> values, int root)
    {
        RequireInit();
        CheckRank(root, nameof(root));
        if (values.IsEmpty) return;
        fixed (byte* p = values)
            Check(MpiInterop.Bcast(p, values.Length, MpiLibrary.Byte, root, MpiLibrary.CommWorld), "MPI_Bcast");
        Traffic.Count(MpiTraffic.Operation.Broadcast, Rank == root ? values.Length : 0, Rank == root ? 0 : values.Length);
    }

    /// <summary>Blocking send of <paramref name="values"/> to <paramref name="destination"/>.</summary>
    /// <param name="values">The message.</param>
    /// <param name="destination">The receiving rank (not this one).</param>
    /// <param name="tag">Message tag, 0 … 32 767.</param>
    public static void Send(ReadOnlySpan<double> values, int destination, int tag)
    {
        RequireInit();
        CheckPeer(destination, nameof(destination));
        CheckTag(tag);
        fixed (double* p = values)
            Check(MpiInterop.Send(p, values.Length, MpiLibrary.Double, destination, tag, MpiLibrary.CommWorld), "MPI_Send");
        Traffic.Count(MpiTraffic.Operation.PointToPoint, values.Length * 8L, 0);
    }

    /// <summary>Non-blocking send; the buffer stays pinned, and must not change, until <see cref="WaitAll"/>.</summary>
    /// <param name="values">The message.</param>
    /// <param name="destination">The receiving rank (not this one).</param>
    /// <param name="tag">Message tag, 0 … 32 767.</param>
    public static MpiRequest Isend(ReadOnlyMemory<double> values, int destination, int tag)
    {
        RequireInit();
        CheckPeer(destination, nameof(destination));
        CheckTag(tag);
        var request = new MpiRequest { Pin = values.Pin(), Active = true };
        long handle = 0;
        Check(MpiInterop.Isend(request.Pin.Pointer, values.Length, MpiLibrary.Double, destination, tag, MpiLibrary.CommWorld, &handle), "MPI_Isend");
        request.Handle = handle;
        Traffic.Count(MpiTraffic.Operation.PointToPoint, values.Length * 8L, 0);
        return request;
    }

    /// <summary>Waits for every active request and releases its buffer.</summary>
    /// <param name="requests">Requests from <see cref="Isend"/>; inactive (default) entries are skipped.</param>
    public static void WaitAll(Span<MpiRequest> requests)
    {
        RequireInit();
        int active = 0;
        foreach (ref var r in requests) if (r.Active) active++;
        if (active == 0) return;
        // MPI_Request is a pointer (Open MPI) or an int (MPICH): pack the handles at the library's size.
        byte* handles = stackalloc byte[active * 8];
        int k = 0;
        foreach (ref var r in requests)
        {
            if (!r.Active) continue;
            if (MpiLibrary.RequestSize == 8) ((long*)handles)[k++] = r.Handle;
            else ((int*)handles)[k++] = (int)r.Handle;
        }
        try
        {
            Check(MpiInterop.Waitall(active, handles, MpiLibrary.StatusIgnore), "MPI_Waitall"); // MPI_STATUSES_IGNORE has MPI_STATUS_IGNORE's value in both ABIs
        }
        finally
        {
            foreach (ref var r in requests)
                if (r.Active)
                {
                    r.Pin.Dispose();
                    r.Active = false;
                }
        }
    }

    /// <summary>Blocking receive of exactly <paramref name="values"/>.Length doubles from <paramref name="source"/>.</summary>
    /// <param name="values">Receives the message.</param>
    /// <param name="source">The sending rank (not this one).</param>
    /// <param name="tag">Message tag, 0 … 32 767.</param>
    public static void Recv(Span<double> values, int source, int tag)
    {
        RequireInit();
        CheckPeer(source, nameof(source));
        CheckTag(tag);
        fixed (double* p = values)
            Check(MpiInterop.Recv(p, values.Length, MpiLibrary.Double, source, tag, MpiLibrary.CommWorld, MpiLibrary.StatusIgnore), "MPI_Recv");
        Traffic.Count(MpiTraffic.Operation.PointToPoint, 0, values.Length * 8L);
    }

    internal static void Check(int code, string function)
    {
        if (code != 0) throw new MpiException(function, code);
    }

    private static nint Op(MpiOp op) => op switch
    {
        MpiOp.Sum => MpiLibrary.OpSum,
        MpiOp.Max => MpiLibrary.OpMax,
        MpiOp.Min => MpiLibrary.OpMin,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown reduction operation."),
    };

    private static void RequireInit()
    {
        if (_rank < 0) throw NotInitialized();
    }

    private static InvalidOperationException NotInitialized() => new("MPI is not initialised: call Mpi.Init() first.");

    private static void CheckRank(int rank, string name)
    {
        if ((uint)rank >= (uint)Size) throw new ArgumentOutOfRangeException(name, rank, $"{name} = {rank} is not a rank of the {Size} processes.");
    }

    private static void CheckPeer(int rank, string name)
    {
        CheckRank(rank, name);
        if (rank == Rank) throw new ArgumentException($"{name} = {rank} is this process; point-to-point messages go to another rank.", name);
    }

    private static void CheckTag(int tag)
    {
        // MPI guarantees tags up to 32 767 (MPI_TAG_UB is at least that).
        if ((uint)tag > 32767) throw new ArgumentOutOfRangeException(nameof(tag), tag, "tags must lie in 0 … 32 767.");
    }

    private static void CheckBlocks(int sendLength, int receiveLength, ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements)
    {
        if (counts.Length != Size) throw new ArgumentException($"counts has {counts.Length} entries; there are {Size} ranks.", nameof(counts));
        if (displacements.Length != Size)
            throw new ArgumentException($"displacements has {displacements.Length} entries; there are {Size} ranks.", nameof(displacements));
        if (counts[Rank] != sendLength)
            throw new ArgumentException($"this rank sends {sendLength} values but counts[{Rank}] = {counts[Rank]}.", nameof(counts));
        for (int r = 0; r < counts.Length; r++)
        {
            if (counts[r] < 0 || displacements[r] < 0)
                throw new ArgumentOutOfRangeException(nameof(counts), $"block {r}: count {counts[r]} and displacement {displacements[r]} must be ≥ 0.");
            if ((long)displacements[r] + counts[r] > receiveLength)
                throw new ArgumentException($"block {r} ends at {(long)displacements[r] + counts[r]}, past the receive buffer's {receiveLength} values.", nameof(displacements));
        }
    }

    private static long Sum(ReadOnlySpan<int> counts)
    {
        long s = 0;
        foreach (int c in counts) s += c;
        return s;
    }
}
