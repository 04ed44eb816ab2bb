using System.Runtime.ExceptionServices;
using Pbgd.Distributed;
using Pbgd.Reporting;

namespace Pbgd.Cli;

/// The folders a hyper-cleaning run writes into, made ready before any data is read: --out checked, created and locked
/// against a second writer, --checkpoint checked. In a data-parallel run only rank 0 writes the outputs, so only rank 0
/// checks, creates and locks --out (the other ranks never touch it); every rank checks --checkpoint, where each writes its
/// own file. The ranks then agree: a refusal on any rank stops every rank before any of them loads data (exit 2, through
/// ExitCodes and MpiSession.Abort).
internal sealed class RunFolders : IDisposable
{
    private IDisposable? _outputLock;
    private readonly string[] _created;

    private RunFolders(IDisposable? outputLock, string[] created) => (_outputLock, _created) = (outputLock, created);

    internal static RunFolders Prepare(string outDirectory, string? checkpointDirectory, ICommunicator? communicator)
    {
        bool writesOutputs = communicator is null || communicator.Rank == 0;
        string[] created = new[] { writesOutputs ? outDirectory : null, checkpointDirectory }.OfType<string>().Where(d => !Directory.Exists(d)).ToArray();
        IDisposable? outputLock = null;
        Exception? failure = null;
        try
        {
            if (writesOutputs) OutputFolder.Check(outDirectory, "--out");
            if (checkpointDirectory is not null) OutputFolder.Check(checkpointDirectory, "--checkpoint");
            if (writesOutputs)
            {
                OutputFolder.Create(outDirectory, "--out");
                outputLock = OutputFolder.Lock(outDirectory, "--out");
            }
        }
        catch (Exception e) when (communicator is not null)
        {
            failure = e;
        }
        catch
        {
            Release(outputLock, created);
            throw;
        }
        if (communicator is not null)
        {
            Span<double> refused = [failure is null ? 0 : 1];
            communicator.Allreduce(refused, ReductionOperation.Max);
            if (failure is not null)
            {
                Release(outputLock, created);
                ExceptionDispatchInfo.Throw(failure);
            }
            if (refused[0] > 0)
            {
                Release(outputLock, created);
                // The refusing rank prints the reason and aborts the job; a rank that aborted first would end the job
                // before that message is written. So wait for it (the abort ends this process), and speak only if it
                // never comes.
                Thread.Sleep(TimeSpan.FromSeconds(10));
                throw new InvalidDataException("another rank refused an output folder (its message says why); no rank has read any data.");
            }
        }
        return new RunFolders(outputLock, created);
    }

    /// After a failure before the outputs: releases the lock and removes the folders this run created, if they hold
    /// nothing but the lock file and run.json.
    internal void Abandon()
    {
        Release(_outputLock, _created);
        _outputLock = null;
    }

    private static void Release(IDisposable? outputLock, string[] created)
    {
        outputLock?.Dispose();
        foreach (var folder in created) OutputFolder.RemoveIfOnly(folder, [OutputFolder.LockFileName, ResumableRun.FileName]);
    }

    public void Dispose()
    {
        _outputLock?.Dispose();
        _outputLock = null;
    }
}
