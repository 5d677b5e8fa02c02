using StorageApi.Configuration;

namespace StorageApi.Proxy;

/// <summary>
/// Absolute URLs handed to clients (signed links). With <c>PUBLIC_BASE_URL</c> they start with it whatever the request
/// says; without it they follow the request's scheme and host, as a trusted proxy forwarded them (see <see cref="ProxyHeaders"/>).
/// </summary>
public sealed class PublicUrls(StorageSettings settings)
{
    public string For(HttpRequest request, string path) => settings.PublicBaseUrl is { } configured
        ? configured.AbsoluteUri.TrimEnd('/') + path
        : $"{request.Scheme}://{request.Host}{request.PathBase}{path}";
}
