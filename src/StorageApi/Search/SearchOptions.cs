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
}
