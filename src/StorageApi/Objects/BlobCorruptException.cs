namespace StorageApi.Objects;

/// <summary>Stored bytes that are not what their row says: never copied on, never switched to.</summary>
public sealed class BlobCorruptException(string message) : Errors.DomainException(message);
