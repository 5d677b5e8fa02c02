using System.Text.Json;

namespace StorageApi.Validation;

public static class JsonPosition
{
    /// <summary>"line 1, byte 23": where the parser stopped, counted from 1, in place of the parser's own text.</summary>
    public static string Of(JsonException e) => $"line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}";
}
