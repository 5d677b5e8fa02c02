namespace StorageApi.Data;

/// <summary>A named fact about this instance's data, such as the id that marks its blob stores as its own.</summary>
public sealed class InstanceFact
{
    public const string InstanceId = "instance-id";

    public required string Name { get; init; }
    public required string Value { get; set; }
}
