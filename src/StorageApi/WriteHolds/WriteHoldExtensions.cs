namespace StorageApi.WriteHolds;

public static class WriteHoldExtensions
{
    public static IServiceCollection AddWriteHolds(this IServiceCollection services)
    {
        services.AddSingleton<WritesInFlight>();
        services.AddSingleton<WriteHoldControl>();
        return services;
    }

    /// <summary>
    /// After authorization: a held write still gets the 401 or 403 it would get anyway (the isolation probe's answers
    /// do not change during a move), and costs one key lookup, one rate-limit token and one read by primary key, never
    /// its body. Before the endpoint's filters, so it takes no upload slot.
    /// </summary>
    public static IApplicationBuilder UseWriteHolds(this IApplicationBuilder app) => app.UseMiddleware<WriteHoldGate>();
}
