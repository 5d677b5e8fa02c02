using Storagectl.Hosts;

namespace Storagectl.Tests.Hosts;

public sealed class RequestCountsTests
{
    [Fact]
    public void Requests_and_errors_are_summed_over_routes_and_tenants()
    {
        const string text = """
            # TYPE storage_requests_total counter
            storage_requests_total{otel_scope_name="StorageApi",route="/v1/objects",status="200",tenant="acme"} 7
            storage_requests_total{otel_scope_name="StorageApi",route="/health",status="503",tenant="-"} 3
            storage_requests_total_extra{route="/x"} 100
            # TYPE storage_errors_total counter
            storage_errors_total{route="/health",tenant="-"} 3
            """;

        RequestCounts.Parse(text).ShouldBe(new RequestCounts(10, 3));
        RequestCounts.Parse("# nothing here\nother_total 5").ShouldBeNull();
        new RequestCounts(30, 4).Since(new RequestCounts(10, 3)).ShouldBe(new RequestCounts(20, 1));
    }
}
