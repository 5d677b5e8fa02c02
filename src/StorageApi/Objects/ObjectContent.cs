using StorageApi.Data;

namespace StorageApi.Objects;

/// <summary>An object to serve and the row that says where its bytes are (null only if that invariant is broken).</summary>
public sealed record ObjectContent(StoredObject Object, Blob? Blob);
