using StorageApi.Data;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using StorageApi.Configuration;
using StorageApi.Observability;
using StorageApi.Problems;
using StorageApi.Proxy;
using StorageApi.RateLimiting;
using StorageApi.Tenancy;

namespace StorageApi.Objects;

public sealed record CreateLinkRequest(int ExpiresInSeconds);
public sealed record LinkView(string Url, DateTime ExpiresAt);

public static class ObjectsApi
{
    public static IEndpointRouteBuilder MapObjectsApi(this IEndpointRouteBuilder routes)
    {
        var objects = routes.MapGroup("/v1/objects")
            .WithTags("Objects")
            .RequireAuthorization(TenancyExtensions.TenantPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        objects.MapPost("/", UploadAsync)
            .WithName("UploadObject")
            .WithSummary("Upload an object")
            .WithDescription("multipart/form-data with a 'file' part and optional fields title, description, tags (comma-separated), " +
                             "collection, public, ttlHours, metadata (JSON object); or the raw bytes with ?filename= and the same fields as query parameters.")
            .Accepts<IFormFile>("multipart/form-data", "*/*")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        objects.MapGet("/", async (HttpRequest request, ClaimsPrincipal user, ObjectCatalog catalog, CancellationToken ct) =>
                TypedResults.Ok(await catalog.ListAsync(user.TenantId(), ObjectListQuery.Parse(request.Query), ct)))
            .WithName("ListObjects").WithSummary("List objects, newest first")
            .WithDescription("Filters: collection, tag, contentType (type/* allowed), q (text in name, title or description); limit (1-1000) and cursor from nextCursor.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        objects.MapGet("/{id}", async (string id, ClaimsPrincipal user, ObjectCatalog catalog, CancellationToken ct) =>
                TypedResults.Ok(ObjectView.From(await catalog.GetAsync(user.TenantId(), id, ct))))
            .WithName("GetObject").WithSummary("An object's metadata")
            .ProducesProblem(StatusCodes.Status404NotFound);

        objects.MapGet("/{id}/content", ContentAsync).WithMetadata(new ServesContent())
            .AllowAnonymous()
            .WithName("GetObjectContent").WithSummary("An object's bytes (public objects need no key)")
            .WithDescription("Supports Range (206/416), If-None-Match (304) and ETag (sha256).")
            .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status206PartialContent).Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status416RangeNotSatisfiable);

        objects.MapPatch("/{id}", PatchAsync)
            .WithName("UpdateObject").WithSummary("Change an object's metadata (JSON merge patch)")
            .WithDescription("Fields: title, description, tags (array), collection, public, metadata (object), expiresAt; null clears.")
            .Accepts<JsonElement>("application/json", "application/merge-patch+json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        objects.MapDelete("/{id}", async (string id, ClaimsPrincipal user, ObjectCatalog catalog, CancellationToken ct) =>
            {
                await catalog.DeleteAsync(user.TenantId(), id, ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteObject").WithSummary("Delete an object: its metadata, search data and (when unshared) its bytes")
            .ProducesProblem(StatusCodes.Status404NotFound);

        objects.MapPost("/{id}/links", CreateLinkAsync)
            .WithName("CreateObjectLink").WithSummary("A signed download URL that expires")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        routes.MapGet("/v1/links/{token}", LinkContentAsync).WithMetadata(new ServesContent())
            .WithTags("Objects")
            .AllowAnonymous()
            .WithName("GetLinkContent").WithSummary("Download through a signed link, without a key")
            .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status206PartialContent)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        return routes;
    }

    private static async Task<IResult> UploadAsync(HttpRequest request, ClaimsPrincipal user, UploadReceiver receiver, ObjectCatalog catalog,
        TenantRateLimiter limiter, StorageMetrics metrics, CancellationToken ct)
    {
        var tenantId = user.TenantId();
        receiver.RefuseDeclaredOversize(request); // a 413 now says more than a 429 followed by a 413
        await using var admission = await limiter.AdmitUploadAsync(request.HttpContext, tenantId);
        var upload = await receiver.ReceiveAsync(request, ct);
        await using (upload.Blob)
        {
            var stored = await catalog.CreateAsync(tenantId, upload, ct);
            metrics.UploadedBytes.Add(stored.Size, new KeyValuePair<string, object?>("tenant", tenantId));
            return TypedResults.Created($"/v1/objects/{stored.Id}", ObjectView.From(stored));
        }
    }

    private static async Task<IResult> ContentAsync(string id, HttpContext context, ObjectCatalog catalog, BlobStore blobs, TenantRateLimiter limiter, CancellationToken ct)
    {
        // Anonymous callers get public objects; a presented key must be valid, and then the tenant's own objects are visible too.
        var authentication = await context.AuthenticateAsync(ApiKeyAuthentication.SchemeName);
        if (authentication.Failure is not null) throw ApiProblemException.Unauthorized(authentication.Failure.Message);
        var tenantId = authentication.Principal?.FindFirstValue(ApiKeyAuthentication.TenantClaim);
        if (authentication.Principal is not null) context.User = authentication.Principal; // for logs and metrics

        var stored = tenantId is null ? null : await FindOwnAsync(catalog, tenantId, id, ct);
        stored ??= await catalog.FindPublicAsync(id, ct);
        if (stored is null)
            throw tenantId is null && ApiKeyAuthentication.PresentedKey(context.Request) is null
                ? ApiProblemException.Unauthorized("This object is not public; send an API key.")
                : ApiProblemException.NotFound($"Object '{id}'");
        if (tenantId is null) await limiter.AdmitRequestAsync(context, stored.TenantId, anonymous: true); // keyed callers were counted on the way in
        return ContentResults.Serve(context, stored, blobs);
    }

    private static async Task<Data.StoredObject?> FindOwnAsync(ObjectCatalog catalog, string tenantId, string id, CancellationToken ct)
    {
        try
        {
            return await catalog.GetAsync(tenantId, id, ct);
        }
        catch (ApiProblemException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    private static async Task<IResult> PatchAsync(string id, HttpRequest request, ClaimsPrincipal user, ObjectCatalog catalog, TimeProvider clock, CancellationToken ct)
    {
        var tenantId = user.TenantId();
        var body = await JsonBodies.ReadAsync(request, ct); // content type checked by the route's Accepts metadata
        var patch = ObjectPatch.Parse(body, clock.UtcNowStored());
        return TypedResults.Ok(ObjectView.From(await catalog.PatchAsync(tenantId, id, patch, ct)));
    }

    private static async Task<IResult> CreateLinkAsync(string id, CreateLinkRequest body, HttpRequest request, ClaimsPrincipal user,
        ObjectCatalog catalog, LinkSigner signer, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        if (body.ExpiresInSeconds is < 1 or > LinkSigner.MaxLifetimeSeconds)
            throw ApiProblemException.BadRequest($"'expiresInSeconds' must be from 1 to {LinkSigner.MaxLifetimeSeconds}.");
        var stored = await catalog.GetAsync(user.TenantId(), id, ct);
        var expiresAt = clock.GetUtcNow().UtcDateTime.AddSeconds(body.ExpiresInSeconds);
        var url = urls.For(request, $"/v1/links/{signer.Create(stored.TenantId, stored.Id, expiresAt)}");
        return TypedResults.Created(url, new LinkView(url, expiresAt));
    }

    private static async Task<IResult> LinkContentAsync(string token, HttpContext context, LinkSigner signer, ObjectCatalog catalog, BlobStore blobs,
        StorageSettings settings, TenantRateLimiter limiter, CancellationToken ct)
    {
        var (tenantId, objectId) = signer.Verify(token);
        if (settings.TenantId is { } only && only != tenantId) throw ApiProblemException.NotFound($"Object '{objectId}'");
        var stored = await catalog.GetAsync(tenantId, objectId, ct);
        if (!context.User.HasClaim(c => c.Type == ApiKeyAuthentication.TenantClaim))
            await limiter.AdmitRequestAsync(context, tenantId, anonymous: true); // keyed callers were counted on the way in
        return ContentResults.Serve(context, stored, blobs);
    }
}
