using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.RateLimiting;

/// <summary>Setting limits through the admin API, and reading 429s and RateLimit-* headers as a client would.</summary>
public static class RateLimitAssertions
{
    public static async Task<JsonElement> SetLimitsAsync(this RunningService service, string tenantId, object limits)
    {
        var response = await service.Admin.PutAsJsonAsync($"/v1/admin/tenants/{tenantId}/limits", limits);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    /// <summary>The RateLimit-Limit, -Remaining and -Reset values, asserting that all three are there.</summary>
    public static (long Limit, long Remaining, long Reset) RateLimit(this HttpResponseMessage response)
    {
        long Read(string name) => long.Parse(response.Header(name) ?? throw new ShouldAssertException($"{name} is missing ({(int)response.StatusCode})"));
        return (Read("RateLimit-Limit"), Read("RateLimit-Remaining"), Read("RateLimit-Reset"));
    }

    /// <summary>Asserts a 429 problem naming <paramref name="limit"/>, with a whole-second Retry-After that the body repeats.</summary>
    public static async Task<JsonElement> ShouldBeRateLimitedAsync(this HttpResponseMessage response, string limit)
    {
        var problem = await response.ShouldBeProblemAsync(429);
        problem.GetProperty("limit").GetString().ShouldBe(limit);
        var retryAfter = response.Header("Retry-After");
        retryAfter.ShouldNotBeNull();
        long.TryParse(retryAfter, out var seconds).ShouldBeTrue($"Retry-After '{retryAfter}' is not whole seconds");
        seconds.ShouldBeGreaterThanOrEqualTo(1);
        problem.GetProperty("retryAfterSeconds").GetInt64().ShouldBe(seconds);
        response.RateLimit(); // all three headers are there
        return problem;
    }

    public static long RetryAfter(this HttpResponseMessage response) => long.Parse(response.Header("Retry-After")!);
}
