namespace StorageApi.Data;

/// <summary>Sizes of object metadata, shared by validation and the database schema.</summary>
public static class ObjectLimits
{
    public const int TitleLength = 300;
    public const int DescriptionLength = 4000;
    public const int CollectionLength = 64;
    public const int FilenameBytes = 255;
    public const int TagLength = 64;
    public const int TagCount = 32;
    public const int MetadataBytes = 16 * 1024;
}
