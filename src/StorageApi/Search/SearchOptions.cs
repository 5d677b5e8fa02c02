namespace StorageApi.Search;

/// <summary>Tuning of the embedding worker and the provider client. The defaults suit production; tests shorten the waits.</summary>
public sealed class SearchOptions
{
    /// <summary>Most objects embedded in one provider request (OpenAI accepts 2048 inputs; Ollama and vLLM fewer in practice).</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>How long the worker waits after start before its first batch.</summary>
    public TimeSpan StartDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How often the worker looks for due entries when nothing woke it (other processes may enqueue too).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first wait after a failed batch; doubled with every further failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Quick retries inside one provider call on 408, 429 and 5xx, honouring Retry-After; then the queue's backoff takes over.</summary>
    public int ProviderRetries { get; set; } = 2;

    public TimeSpan ProviderTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Objects of a tenant from which vector search walks an HNSW graph instead of scanning every vector. Below it an
    /// exact scan takes about a millisecond at 384 dimensions (a few at 1536) and is perfect.
    /// </summary>
    public int GraphThreshold { get; set; } = 10_000;

    /// <summary>A tenant's vectors leave memory after this long without a search (its graph is saved first).</summary>
    public TimeSpan IdleUnload { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A changed graph is saved once no change came for this long (and at shutdown).</summary>
    public TimeSpan GraphSaveQuiet { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often saves and idle tenants are looked for.</summary>
    public TimeSpan HousekeepingInterval { get; set; } = TimeSpan.FromSeconds(15);
}
