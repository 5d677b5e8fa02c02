namespace StorageApi.WriteHolds;

/// <summary>Marks an endpoint whose method is not GET but which changes nothing stored, such as signing a link.</summary>
public sealed class ChangesNothing
{
    public static readonly ChangesNothing Instance = new();
}

/// <summary>
/// Marks the endpoints that set and lift the hold itself (<c>PUT|DELETE /v1/admin/write-hold</c>): the gate lets them
/// through while writes are held, and does not count them as writes in flight.
/// </summary>
public sealed class ControlsWriteHold
{
    public static readonly ControlsWriteHold Instance = new();
}

public static class WriteHoldConventions
{
    /// <summary>Served while writes are held, and not counted as a write in flight.</summary>
    public static TBuilder ChangesNothingStored<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ChangesNothing.Instance);

    /// <summary>Served while writes are held, and not counted as a write in flight: see <see cref="ControlsWriteHold"/>.</summary>
    public static TBuilder ControlsTheWriteHold<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ControlsWriteHold.Instance);
}
