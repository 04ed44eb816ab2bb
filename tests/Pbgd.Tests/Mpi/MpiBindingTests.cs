using Pbgd.Native;

namespace Pbgd.Tests.Mpi;

/// <summary>
/// The MPI binding in this process, without MPI_Init (initialising MPI inside the test host would tie it to an MPI
/// runtime): the library loads, its ABI is recognised from Open MPI's exported handles, the load trace says so, and the
/// wrappers refuse to run before initialisation. Collectives are tested under mpirun (<see cref="MpiRunTests"/>).
/// </summary>
public sealed class MpiBindingTests
{
    [MpiFact]
    public void OpenMpiLoadsAndIsRecognisedByItsExportedHandles()
    {
        MpiLibrary.EnsureLoaded();
        Assert.Equal(MpiImplementation.OpenMpi, MpiLibrary.Implementation);
        Assert.StartsWith("Open MPI v", MpiLibrary.LibraryVersion);
        Assert.Matches(@"^\d+\.\d+$", MpiLibrary.StandardVersion);
        Assert.Contains(MpiLibrary.LoadTrace, line => line.StartsWith("loaded ", StringComparison.Ordinal) && line.Contains("libmpi"));
        Assert.Contains(MpiLibrary.LoadTrace, line => line.Contains("implementation: Open MPI (exports ompi_mpi_comm_world)"));
    }

    [MpiFact]
    public void TheWrappersRefuseToRunBeforeMpiInit()
    {
        MpiLibrary.EnsureLoaded();
        Assert.False(Pbgd.Native.Mpi.IsInitialized);
        var e = Assert.Throws<InvalidOperationException>(() => Pbgd.Native.Mpi.Allreduce(new double[] { 1 }, MpiOp.Max));
        Assert.Contains("Mpi.Init()", e.Message);
        Assert.Throws<InvalidOperationException>(() => Pbgd.Native.Mpi.Rank);
    }

    [Fact]
    public void WithoutTheLaunchersVariablesThisIsNoMpirunRun()
    {
        // The test host is not started by mpirun (the variables are the launchers'); the CLI then runs one process.
        if (Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is null && Environment.GetEnvironmentVariable("PMI_SIZE") is null)
        {
            Assert.False(MpiLibrary.LaunchedByMpirun);
            Assert.Null(MpiLibrary.LauncherSize);
        }
    }
}
