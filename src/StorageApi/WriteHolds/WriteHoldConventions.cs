namespace StorageApi.WriteHolds;

/// <summary>Marks an endpoint whose method is not GET but which changes nothing stored, such as signing a link.</summary>
public sealed class ChangesNothing
{
    public static readonly ChangesNothing Instance = new();
}

public static class WriteHoldConventions
{
    /// <summary>Served while writes are held, and not counted as a write in flight.</summary>
    public static TBuilder ChangesNothingStored<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ChangesNothing.Instance);
}
