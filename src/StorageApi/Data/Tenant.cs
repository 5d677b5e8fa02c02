namespace StorageApi.Data;

public sealed class Tenant
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; init; }
}
