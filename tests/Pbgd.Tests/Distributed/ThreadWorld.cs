using Pbgd.Distributed;

namespace Pbgd.Tests.Distributed;

/// <summary>
/// K "processes" as K threads of this test process, each with an <see cref="ICommunicator"/> whose collectives meet at a
/// barrier and whose messages go through in-memory queues (in order per sender, receiver and tag, as MPI's are): the
/// distributed code paths of the core, tested without MPI and deterministically.
/// </summary>
internal sealed class ThreadWorld
{
    private readonly Barrier _barrier;
    private readonly CancellationTokenSource _abort = new();
    private readonly object[] _slots;
    private readonly List<(int Source, int Destination, int Tag, double[] Data)> _messages = new();

    private ThreadWorld(int size)
    {
        Size = size;
        _barrier = new Barrier(size);
        _slots = new object[size];
    }

    internal int Size { get; }

    /// <summary>Runs <paramref name="body"/> on K threads, one per rank, and returns each rank's result.</summary>
    internal static T[] Run<T>(int size, Func<ICommunicator, T> body)
    {
        var outcomes = RunAll(size, body);
        // The first failure that was not another rank's abort (as MPI_Abort would have ended the others).
        if (outcomes.FirstOrDefault(o => o.Error is not null and not OperationCanceledException).Error is { } error) throw new AggregateException(error);
        if (outcomes.FirstOrDefault(o => o.Error is not null).Error is { } first) throw new AggregateException(first);
        return outcomes.Select(o => o.Result!).ToArray();
    }

    /// <summary>Each rank's result or error. A rank that fails aborts the world, as MPI_Abort would: the others' pending
    /// exchanges then end with <see cref="OperationCanceledException"/>.</summary>
    internal static (T? Result, Exception? Error)[] RunAll<T>(int size, Func<ICommunicator, T> body)
    {
        var world = new ThreadWorld(size);
        var outcomes = new (T? Result, Exception? Error)[size];
        var threads = Enumerable.Range(0, size).Select(r => new Thread(() =>
        {
            try { outcomes[r] = (body(new Communicator(world, r)), null); }
            catch (Exception e)
            {
                outcomes[r] = (default, e);
                world._abort.Cancel();
            }
        }, 16 * 1024 * 1024)).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads)
            if (!t.Join(TimeSpan.FromSeconds(60))) throw new TimeoutException("a rank did not finish within 60 s (deadlock?)");
        return outcomes;
    }

    private sealed class Communicator(ThreadWorld world, int rank) : ICommunicator
    {
        public int Rank => rank;
        public int Size => world.Size;
        public string Description => $"{world.Size} threads";

        private T[] Exchange<T>(T mine)
        {
            world._slots[rank] = mine!;
            world._barrier.SignalAndWait(world._abort.Token);
            var all = world._slots.Select(o => (T)o).ToArray();
            world._barrier.SignalAndWait(world._abort.Token);
            return all;
        }

        public void Allreduce(Span<double> values, ReductionOperation operation)
        {
            var all = Exchange(values.ToArray());
            for (int j = 0; j < values.Length; j++)
                values[j] = operation == ReductionOperation.Max ? all.Max(a => a[j]) : all.Min(a => a[j]);
        }

        public void Sum(Span<long> values)
        {
            var all = Exchange(values.ToArray());
            for (int j = 0; j < values.Length; j++) values[j] = all.Sum(a => a[j]);
        }

        public void Allgatherv(ReadOnlySpan<double> mine, Span<double> all, ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements)
        {
            Assert.Equal(counts[rank], mine.Length);
            var blocks = Exchange(mine.ToArray());
            for (int r = 0; r < Size; r++) blocks[r].CopyTo(all[displacements[r]..]);
        }

        public void Gatherv(ReadOnlySpan<double> mine, Span<double> all, ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements, int root)
        {
            var blocks = Exchange(mine.ToArray());
            if (rank == root) for (int r = 0; r < Size; r++) blocks[r].CopyTo(all[displacements[r]..]);
        }

        public void Broadcast(Span<double> values, int root)
        {
            var all = Exchange(values.ToArray());
            all[root].CopyTo(values);
        }

        public void StartSend(ReadOnlyMemory<double> values, int destination, int tag)
        {
            Assert.NotEqual(rank, destination);
            lock (world._messages)
            {
                world._messages.Add((rank, destination, tag, values.ToArray()));
                Monitor.PulseAll(world._messages);
            }
        }

        public void CompleteSends() { }

        public void Receive(Span<double> values, int source, int tag)
        {
            lock (world._messages)
            {
                while (true)
                {
                    int i = world._messages.FindIndex(m => m.Source == source && m.Destination == rank && m.Tag == tag);
                    if (i >= 0)
                    {
                        Assert.Equal(values.Length, world._messages[i].Data.Length);
                        world._messages[i].Data.CopyTo(values);
                        world._messages.RemoveAt(i);
                        return;
                    }
                    world._abort.Token.ThrowIfCancellationRequested();
                    if (!Monitor.Wait(world._messages, TimeSpan.FromMilliseconds(100)) && world._abort.IsCancellationRequested)
                        throw new OperationCanceledException(world._abort.Token);
                }
            }
        }

        public void Barrier() => world._barrier.SignalAndWait(world._abort.Token);
    }
}
