using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using StorageApi.Configuration;

namespace StorageApi.Tenancy;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-API-Key: &lt;key&gt;</c>. The admin key makes an admin; a tenant key makes
/// that tenant. Anything else fails: there is no default tenant.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    StorageSettings settings,
    ApiKeyCache cache,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string AdminRole = "admin";
    public const string TenantClaim = "tenant";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = PresentedKey(Request);
        if (key is null) return AuthenticateResult.NoResult();

        if (settings.AdminApiKey is { } admin && Secrets.Matches(key, admin))
            return Success(new Claim(ClaimTypes.Role, AdminRole), new Claim(ClaimTypes.Name, "admin"));

        // A cached key needs no scoped services at all; only a miss reaches the database.
        var tenant = cache.TryGet(Secrets.Hash(key), out var cached) ? cached
            : await Context.RequestServices.GetRequiredService<TenantDirectory>().FindTenantByKeyAsync(key, Context.RequestAborted);
        return tenant is null
            ? AuthenticateResult.Fail("The API key is unknown or revoked.")
            : Success(new Claim(TenantClaim, tenant), new Claim(ClaimTypes.Name, tenant));
    }

    public static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..].Trim() is { Length: > 0 } bearer ? bearer : null;
        return request.Headers["X-API-Key"].ToString().Trim() is { Length: > 0 } apiKey ? apiKey : null;
    }

    private AuthenticateResult Success(params Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = PresentedKey(Request) is null
            ? "Send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'."
            : "The API key is unknown or revoked.";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "This API key may not use this endpoint.");

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
