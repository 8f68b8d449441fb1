namespace ItDrift.Tbm.Api.Quotes;

/// <summary>
/// How quotes may use the machine (configuration section <c>Quotes</c>). A quote allocates the run again
/// (about 0.1–1 s of DuckDB work), so quotes are bounded to leave the read API its share of the cores.
/// </summary>
internal sealed record QuoteSettings
{
    /// <summary>Quotes computed at once; default half the cores (at least one).</summary>
    public int Concurrency { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>DuckDB threads per quote; default 1, so running quotes together use at most half the cores.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Quotes that may wait for a free slot; default 8. One more is refused at once with 429.</summary>
    public int Queue { get; init; } = 8;

    /// <summary>How long a quote waits for a slot before it is refused with 429; default 10 s.</summary>
    public double WaitSeconds { get; init; } = 10;

    /// <summary>DuckDB's memory limit per quote, e.g. <c>1GB</c>; default DuckDB's own.</summary>
    public string? MemoryLimit { get; init; }

    /// <summary>The engine settings a quote runs with.</summary>
    public EngineSettings Engine => new(MemoryLimit, Threads: Math.Max(1, Threads));
}

/// <summary>
/// Admits at most <see cref="QuoteSettings.Concurrency"/> quotes at once, with a short queue: a quote
/// that finds every slot busy waits up to <see cref="QuoteSettings.WaitSeconds"/> in a queue of at most <see cref="QuoteSettings.Queue"/>;
/// when the queue is full or the wait runs out it is refused, and the endpoint answers 429 with
/// <c>Retry-After</c>. A bounded queue rather than an immediate refusal, because quotes come in small
/// bursts (a customer trying a few variants) that a second of waiting absorbs.
/// </summary>
internal sealed class QuoteGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _queue;
    private readonly TimeSpan _wait;
    private int _waiting;

    public QuoteGate(QuoteSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _slots = new SemaphoreSlim(Math.Max(1, settings.Concurrency));
        _queue = Math.Max(0, settings.Queue);
        _wait = TimeSpan.FromSeconds(Math.Max(0, settings.WaitSeconds));
    }

    /// <summary>Quotes waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>A slot, to be disposed when the quote is done; <see langword="null"/> when the quote is refused.</summary>
    public async Task<IDisposable?> EnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return new Slot(_slots);
        }

        if (Interlocked.Increment(ref _waiting) > _queue)
        {
            Interlocked.Decrement(ref _waiting);
            return null;
        }

        try
        {
            return await _slots.WaitAsync(_wait, cancellationToken).ConfigureAwait(false) ? new Slot(_slots) : null;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
