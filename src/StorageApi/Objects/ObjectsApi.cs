using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Metadata;
using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.Errors;
using StorageApi.ObjectStores;
using StorageApi.Observability;
using StorageApi.OpenApi;
using StorageApi.Problems;
using StorageApi.Proxy;
using StorageApi.RateLimiting;
using StorageApi.Routing;
using StorageApi.Tenancy;
using StorageApi.WriteHolds;

namespace StorageApi.Objects;

public sealed record CreateLinkRequest(int ExpiresInSeconds);
public sealed record LinkView(string Url, DateTime ExpiresAt);

public static class ObjectsApi
{
    public static IEndpointRouteBuilder MapObjectsApi(this IEndpointRouteBuilder routes)
    {
        var objects = routes.MapTenantGroup("/v1/objects", "Objects");

        objects.MapPost("/", UploadAsync)
            .AddEndpointFilter<DeclaredSizeCheck>()
            .RequireUploadAdmission()
            .WithName("UploadObject")
            .WithSummary("Upload an object")
            .WithDescription("multipart/form-data with a 'file' part and optional fields title, description, tags (comma-separated), " +
                             "collection, public, ttlHours, metadata (JSON object); or the raw bytes with ?filename= and the same fields as query parameters.")
            .WithMetadata(new AcceptsMetadata(["multipart/form-data", "*/*"], typeof(Stream))) // any body; the document says which (UploadRequest)
            .AddOpenApiOperationTransformer(UploadRequest.DescribeAsync)
            .WithQueryParameters(QueryParameters.RawUpload)
            .Produces<ObjectView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        objects.MapGet("/", async (HttpRequest request, ClaimsPrincipal user, ObjectCatalog catalog, CancellationToken ct) =>
                TypedResults.Ok(await catalog.ListAsync(user.TenantId(), ObjectListQuery.Parse(request.Query), ct)))
            .WithName("ListObjects").WithSummary("List objects, newest first")
            .WithDescription("Filters: collection, tag, contentType (type/* allowed), q (text in name, title or description); limit (1-1000) and cursor from nextCursor.")
            .WithQueryParameters(QueryParameters.ListObjects)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        objects.MapGet("/{id}", async (string id, ClaimsPrincipal user, ObjectCatalog catalog, CancellationToken ct) =>
                TypedResults.Ok(ObjectView.From(await catalog.GetAsync(user.TenantId(), id, ct))))
            .WithName("GetObject").WithSummary("An object's metadata")
            .ProducesProblem(StatusCodes.Status404NotFound);

        objects.MapGet("/{id}/content", ContentAsync).WithMetadata(new ServesContent())
            .AllowAnonymous()
            .LimitAnonymousCallersPerTenant()
            .WithName("GetObjectContent").WithSummary("An object's bytes (public objects need no key)")
            .WithDescription("Supports Range (206/416), If-None-Match (304) and ETag (sha256).")
            .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status206PartialContent).Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status416RangeNotSatisfiable);

        objects.MapPatch("/{id}", PatchAsync)
            .WithName("UpdateObject").WithSummary("Change an object's metadata (JSON merge patch)")
            .WithDescription("Fields: title, description, tags (array), collection, public, metadata (object), expiresAt; null clears.")
            .WithMetadata(new AcceptsMetadata(ObjectPatchRequest.MediaTypes, typeof(Stream))) // the body is read by hand; ObjectPatchRequest describes it
            .AddOpenApiOperationTransformer(ObjectPatchRequest.DescribeAsync)
            .Produces<ObjectView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        objects.MapDelete("/{id}", async (string id, ClaimsPrincipal user, ObjectCatalog catalog, CancellationToken ct) =>
            {
                await catalog.DeleteAsync(user.TenantId(), id, ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteObject").WithSummary("Delete an object: its metadata, search data and (when unshared) its bytes")
            .ProducesProblem(StatusCodes.Status404NotFound);

        objects.MapPost("/{id}/links", CreateLinkAsync)
            .ChangesNothingStored() // a signature: served while writes are held
            .WithName("CreateObjectLink").WithSummary("A signed download URL that expires")
            .WithDescription($"expiresInSeconds: 1 to {LinkSigner.MaxLifetimeSeconds}. The link serves the bytes without a key until then.")
            .Produces<LinkView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        routes.MapGet("/v1/links/{token}", LinkContentAsync).WithMetadata(new ServesContent())
            .WithTags("Objects")
            .AllowAnonymous()
            .LimitAnonymousCallersPerTenant()
            .WithName("GetLinkContent").WithSummary("Download through a signed link, without a key")
            .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status206PartialContent)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        return routes;
    }

    private static async Task<IResult> UploadAsync(HttpRequest request, ClaimsPrincipal user, UploadReceiver receiver, ObjectCatalog catalog,
        StorageMetrics metrics, CancellationToken ct)
    {
        var tenantId = user.TenantId();
        var upload = await receiver.ReceiveAsync(request, tenantId, ct);
        await using (upload.Blob)
        {
            var stored = await catalog.CreateAsync(tenantId, upload); // once the bytes are stored, a client leaving no longer stops it
            metrics.UploadedBytes.Add(stored.Size, new KeyValuePair<string, object?>("tenant", tenantId));
            return TypedResults.Created($"/v1/objects/{stored.Id}", ObjectView.From(stored));
        }
    }

    /// <summary>Hot: asks for no more services than it uses (no catalog, no search), and reads the database once at most (not at all for an object in <see cref="ObjectContentCache"/>).</summary>
    private static async Task<IResult> ContentAsync(string id, HttpContext context, StorageDb db, ObjectContentCache cache, ObjectStoreFactory stores,
        StorageSettings settings, TimeProvider clock, CancellationToken ct)
    {
        // Anonymous callers get public objects; a presented key must be valid, and then the tenant's own objects are visible too.
        var authentication = await context.AuthenticateAsync(ApiKeyAuthentication.SchemeName);
        if (authentication.Failure is not null) throw ApiProblemException.Unauthorized(authentication.Failure.Message);
        var tenantId = authentication.Principal?.FindFirstValue(ApiKeyAuthentication.TenantClaim);
        if (authentication.Principal is not null) context.User = authentication.Principal; // for logs and metrics

        var now = clock.UtcNowStored();
        var content = tenantId is null ? null : await ObjectContent.TryGetAsync(db, cache, tenantId, id, now, ct);
        content ??= await ObjectContent.TryGetPublicAsync(db, cache, id, settings.TenantId, now, ct);
        if (content is null)
            throw tenantId is null && ApiKeyAuthentication.PresentedKey(context.Request) is null
                ? ApiProblemException.Unauthorized("This object is not public; send an API key.")
                : new NotFoundException($"Object '{id}'");
        return new ObjectContentResult(content, stores);
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

    private static async Task<IResult> LinkContentAsync(string token, LinkSigner signer, StorageDb db, ObjectContentCache cache, ObjectStoreFactory stores,
        StorageSettings settings, TimeProvider clock, CancellationToken ct)
    {
        var (tenantId, objectId) = signer.Verify(token);
        if (settings.TenantId is { } only && only != tenantId) throw new NotFoundException($"Object '{objectId}'");
        return new ObjectContentResult(await ObjectContent.TryGetAsync(db, cache, tenantId, objectId, clock.UtcNowStored(), ct)
            ?? throw new NotFoundException($"Object '{objectId}'"), stores);
    }
}
