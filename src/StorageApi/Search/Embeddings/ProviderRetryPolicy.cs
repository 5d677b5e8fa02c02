using System.ClientModel.Primitives;
using System.Globalization;

namespace StorageApi.Search.Embeddings;

/// <summary>
/// The client's retries on 408, 429 and 5xx, also honouring <c>retry-after-ms</c>, which OpenAI-compatible servers send
/// with rate limits (the base policy reads only <c>Retry-After</c> in seconds). A server's wish is capped, so one
/// call never sleeps for long: the queue's backoff handles long outages.
/// </summary>
public sealed class ProviderRetryPolicy(int maxRetries) : ClientRetryPolicy(maxRetries)
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(20);

    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount)
    {
        if (message.Response?.Headers.TryGetValue("retry-after-ms", out var value) == true
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
            return TimeSpan.FromMilliseconds(Math.Min(milliseconds, LongestWait.TotalMilliseconds));
        var delay = base.GetNextDelay(message, tryCount);
        return delay > LongestWait ? LongestWait : delay;
    }
}
