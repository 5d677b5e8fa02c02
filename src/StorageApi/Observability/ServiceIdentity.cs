using OpenTelemetry.Resources;
using StorageApi.Health;

namespace StorageApi.Observability;

/// <summary>
/// Who is exporting, as resource attributes (Prometheus shows them in <c>target_info</c>): the service, its build
/// version, this process, the environment and, for a dedicated instance, its tenant.
/// </summary>
public sealed class ServiceIdentity(InstanceInfo instance) : IResourceDetector
{
    public const string ServiceName = "storage-api";

    public Resource Detect()
    {
        var attributes = new Dictionary<string, object>
        {
            ["service.name"] = ServiceName,
            ["service.version"] = BuildInfo.Current.Version,
            ["service.instance.id"] = instance.Id,
            ["deployment.environment.name"] = instance.Environment,
        };
        if (instance.Tenant is { } tenant) attributes["tenant.id"] = tenant;
        return new Resource(attributes);
    }
}
