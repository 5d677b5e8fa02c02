using System.Security.Claims;
using StorageApi.OpenApi;
using StorageApi.Routing;
using StorageApi.Tenancy;

namespace StorageApi.Search;

public static class SearchApi
{
    public static readonly IReadOnlySet<string> SimilarParameters = new HashSet<string>(["k"]);

    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder routes)
    {
        var search = routes.MapTenantGroup("/v1", "Search").ProducesProblem(StatusCodes.Status400BadRequest);

        search.MapGet("/search", async (HttpRequest request, ClaimsPrincipal user, HybridSearch hybrid, CancellationToken ct) =>
                TypedResults.Ok(await hybrid.SearchAsync(user.TenantId(), SearchQuery.Parse(request.Query), ct)))
            .WithName("SearchObjects").WithSummary("Search the caller's objects by meaning and keywords")
            .WithDescription("q (required, up to 1000 characters), k (1-100, default 10), collection, contentType (type/* allowed). " +
                             "Keyword (full-text) and vector (embedding) matches are fused by reciprocal rank (k=2); each item has the " +
                             "object, the fused score and the vector and keyword components. 'embedder' is null when only keywords answered.")
            .WithQueryParameters(QueryParameters.Search)
            .Produces<SearchResults>();

        search.MapGet("/objects/{id}/similar", async (string id, HttpRequest request, ClaimsPrincipal user, HybridSearch hybrid, CancellationToken ct) =>
            {
                SearchQuery.RejectUnknown(request.Query, SimilarParameters);
                return TypedResults.Ok(await hybrid.SimilarAsync(user.TenantId(), id, SearchQuery.ParseK(request.Query), ct));
            })
            .WithName("FindSimilarObjects").WithSummary("The caller's objects nearest to one of its objects")
            .WithDescription("k (1-100, default 10). Ranked by cosine similarity of the objects' embeddings; the object itself is not included.")
            .WithQueryParameters(QueryParameters.Similar)
            .Produces<SearchResults>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return routes;
    }
}
