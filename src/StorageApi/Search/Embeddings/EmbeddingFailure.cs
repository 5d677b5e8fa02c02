using System.ClientModel;

namespace StorageApi.Search.Embeddings;

public enum EmbeddingFailureKind
{
    /// <summary>The provider refused the credentials (401, 403): nothing will work until the configuration is fixed.</summary>
    Refused,
    /// <summary>The provider refused this input (400, 413, 422): the other objects of the batch may be fine.</summary>
    BadInput,
    /// <summary>Anything else: rate limits and server errors that outlasted the quick retries, timeouts, unreachable hosts.</summary>
    Transient,
}

/// <summary>Why a provider call failed, said so that an operator reading /health or the log knows what to do.</summary>
public sealed record EmbeddingFailure(EmbeddingFailureKind Kind, string Message)
{
    public static EmbeddingFailure From(Exception exception, EmbedderIdentity embedder, Func<string, string> redact)
    {
        var where = embedder.Endpoint ?? "the OpenAI API";
        var detail = redact(OneLine(exception.Message));
        return exception switch
        {
            ClientResultException { Status: 401 or 403 } e => new(EmbeddingFailureKind.Refused,
                $"HTTP {e.Status} from {where}: the provider refused the API key; check OPENAI_API_KEY ({detail})"),
            ClientResultException { Status: 404 } => new(EmbeddingFailureKind.Refused,
                $"HTTP 404 from {where}: no embeddings endpoint or no model '{embedder.Model}' there; check OPENAI_BASE_URL and EMBEDDING_MODEL ({detail})"),
            ClientResultException { Status: 400 or 413 or 422 } e => new(EmbeddingFailureKind.BadInput,
                $"HTTP {e.Status} from {where}: the provider refused the input ({detail})"),
            ClientResultException { Status: > 0 } e => new(EmbeddingFailureKind.Transient, $"HTTP {e.Status} from {where} ({detail})"),
            _ => new(EmbeddingFailureKind.Transient, $"{where}: {detail}"),
        };
    }

    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        while (line.Contains("  ", StringComparison.Ordinal)) line = line.Replace("  ", " ", StringComparison.Ordinal);
        return line;
    }
}
