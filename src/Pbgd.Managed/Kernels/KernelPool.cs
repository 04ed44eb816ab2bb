namespace Pbgd.Kernels;

/// <summary>One parallel operation over a fixed set of parts; <see cref="RunPart"/> is called once per part.</summary>
internal abstract class PoolJob
{
    internal abstract void RunPart(int part);
}

/// <summary>
/// The threads of the skinny-product kernels. Work is split into a fixed number of parts that depends only on the
/// problem size (<see cref="Parts"/>), never on the thread count or on scheduling, and thread t runs parts t, t + T, …;
/// every part writes its own partial results, which the caller combines in part order. So a result is the same to
/// the bit with 1 or 8 threads, which keeps runs reproducible and resumable. Workers are created once and park on
/// an event between calls: a call allocates nothing.
/// </summary>
internal static class KernelPool
{
    /// <summary>At most this many parts (and partial sums) per operation.</summary>
    internal const int MaxParts = 8;

    private const int MinRowsPerPart = 256;
    private static readonly object Gate = new();
    private static Worker[] _workers = [];
    private static int _threads = Environment.ProcessorCount;

    /// <summary>Threads used by the kernels (the caller's included); at least 1.</summary>
    internal static int Threads
    {
        get => _threads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(Threads));
            _threads = value;
        }
    }

    /// <summary>The number of parts for an operation over <paramref name="rows"/> rows: a function of rows alone.</summary>
    internal static int Parts(int rows) => Math.Clamp(rows / MinRowsPerPart, 1, MaxParts);

    /// <summary>First row of part p of rows split into parts.</summary>
    internal static int PartStart(int rows, int parts, int p) => (int)((long)rows * p / parts);

    /// <summary>Runs job.RunPart(p) for p = 0 … parts−1 and returns when all are done.</summary>
    internal static void Run(PoolJob job, int parts)
    {
        int threads = Math.Min(_threads, parts);
        // A second caller (e.g. tests running in parallel) runs inline instead of waiting: same parts, same result.
        if (threads <= 1 || !Monitor.TryEnter(Gate))
        {
            for (int p = 0; p < parts; p++) job.RunPart(p);
            return;
        }
        try
        {
            if (_workers.Length < threads - 1)
            {
                var grown = new Worker[threads - 1];
                Array.Copy(_workers, grown, _workers.Length);
                for (int t = _workers.Length; t < grown.Length; t++) grown[t] = new Worker(t + 1);
                _workers = grown;
            }
            for (int t = 1; t < threads; t++) _workers[t - 1].Start(job, parts, threads);
            for (int p = 0; p < parts; p += threads) job.RunPart(p);
            for (int t = 1; t < threads; t++) _workers[t - 1].Join();
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    private sealed class Worker
    {
        private readonly int _index;
        private readonly ManualResetEventSlim _start = new(false, 1000), _done = new(false, 1000);
        private PoolJob? _job;
        private int _parts, _stride;
        private Exception? _error;

        internal Worker(int index)
        {
            _index = index;
            // ManualResetEventSlim creates its lock object (24 managed bytes) the first time a waiter has to block. The caller
            // blocks in Join only when a worker is slower than its spin (a loaded machine), which could be any later call:
            // make it happen here for both events, with a 1 ms wait on each unset event, so no call after this one allocates.
            _done.Wait(1);
            _start.Wait(1);
            new Thread(Loop) { IsBackground = true, Name = $"Pbgd kernel {index}" }.Start();
        }

        internal void Start(PoolJob job, int parts, int stride)
        {
            (_job, _parts, _stride, _error) = (job, parts, stride, null);
            _done.Reset();
            _start.Set();
        }

        internal void Join()
        {
            _done.Wait();
            if (_error is { } e) throw new AggregateException("a kernel worker failed", e);
        }

        private void Loop()
        {
            while (true)
            {
                _start.Wait();
                _start.Reset();
                try
                {
                    for (int p = _index; p < _parts; p += _stride) _job!.RunPart(p);
                }
                catch (Exception e)
                {
                    _error = e;
                }
                _job = null;
                _done.Set();
            }
        }
    }
}
