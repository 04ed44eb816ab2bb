using System.Runtime.InteropServices;

namespace Pbgd.Native.Interop;

/// The MPI C entry points Pbgd uses (MPI-3 signatures, identical in Open MPI and MPICH). Handles (communicator, datatype,
/// operation) are passed as <c>nint</c>: Open MPI's are addresses of exported globals, MPICH's 32-bit integers, and a
/// 32-bit integer passed by value in a 64-bit argument slot reads the same (System V x86-64 and AArch64 ABIs).
/// Request handles differ in size (pointer vs int), so requests travel as untyped buffers sized by
/// <see cref="MpiLibrary.RequestSize"/>. Internal: callers go through <see cref="Mpi"/>, which validates every size first.
internal static unsafe partial class MpiInterop
{
    static MpiInterop() => MklLibrary.EnsureResolver();

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Init_thread")]
    internal static partial int InitThread(int* argc, byte*** argv, int required, int* provided);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Initialized")]
    internal static partial int Initialized(int* flag);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Finalized")]
    internal static partial int Finalized(int* flag);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Finalize")]
    internal static partial int Finalize();

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Abort")]
    internal static partial int Abort(nint comm, int errorCode);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Comm_rank")]
    internal static partial int CommRank(nint comm, int* rank);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Comm_size")]
    internal static partial int CommSize(nint comm, int* size);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Get_version")]
    internal static partial int GetVersion(int* version, int* subversion);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Get_library_version")]
    internal static partial int GetLibraryVersion(byte* version, int* length);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Barrier")]
    internal static partial int Barrier(nint comm);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Bcast")]
    internal static partial int Bcast(void* buffer, int count, nint datatype, int root, nint comm);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Allreduce")]
    internal static partial int Allreduce(void* send, void* receive, int count, nint datatype, nint op, nint comm);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Allgatherv")]
    internal static partial int Allgatherv(void* send, int sendCount, nint sendType, void* receive, int* receiveCounts,
        int* displacements, nint receiveType, nint comm);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Gatherv")]
    internal static partial int Gatherv(void* send, int sendCount, nint sendType, void* receive, int* receiveCounts,
        int* displacements, nint receiveType, int root, nint comm);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Send")]
    internal static partial int Send(void* buffer, int count, nint datatype, int destination, int tag, nint comm);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Isend")]
    internal static partial int Isend(void* buffer, int count, nint datatype, int destination, int tag, nint comm, void* request);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Recv")]
    internal static partial int Recv(void* buffer, int count, nint datatype, int source, int tag, nint comm, void* status);

    [LibraryImport(MpiLibrary.LibraryName, EntryPoint = "MPI_Waitall")]
    internal static partial int Waitall(int count, void* requests, void* statuses);
}
