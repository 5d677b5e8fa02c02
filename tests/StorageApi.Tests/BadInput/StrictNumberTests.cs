using System.Net.Http.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.BadInput;

/// <summary>JSON numbers are numbers: "10" is a string, refused with a problem in the API's words.</summary>
public sealed class StrictNumberTests
{
    [Fact]
    public async Task A_number_sent_as_a_string_is_a_400_that_names_the_field()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("a.txt", "a")).GetProperty("id").GetString()!;

        var link = await (await acme.Http.PostAsJsonAsync($"/v1/objects/{id}/links", new { expiresInSeconds = "10" })).ShouldBeProblemAsync(400);
        var limits = await (await service.Admin.PutAsJsonAsync("/v1/admin/tenants/acme/limits", new { requestBurst = "10" })).ShouldBeProblemAsync(400);

        link.GetProperty("detail").GetString().ShouldBe("'expiresInSeconds' must be a whole number, not a string (write 10, not \"10\").");
        limits.GetProperty("detail").GetString().ShouldBe("'requestBurst' must be a whole number or null, not a string (write 10, not \"10\").");
        (await service.Admin.PutAsJsonAsync("/v1/admin/tenants/acme/limits", new { requestBurst = 10 })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Other_wrong_kinds_of_value_are_said_in_the_apis_words_too()
    {
        await using var service = await RunningService.StartAsync();

        var name = await (await service.Admin.PostAsJsonAsync("/v1/admin/tenants", new { id = "acme", name = 5 })).ShouldBeProblemAsync(400);
        var fraction = await (await service.Admin.PutAsJsonAsync("/v1/admin/tenants/acme/limits", new { requestBurst = 10.5 })).ShouldBeProblemAsync(400);

        name.GetProperty("detail").GetString().ShouldBe("'name' must be a string, not a number.");
        fraction.GetProperty("detail").GetString().ShouldBe("'requestBurst' must be a whole number or null.");
    }
}
