using System.Globalization;
using System.Text;
using StorageApi.Problems;

namespace StorageApi.Validation;

/// <summary>
/// Text that is shown to people (file names, titles, tags, metadata, tenant and key names) must show what it holds.
/// Control characters are refused, and so are Unicode format characters (category Cf): a right-to-left override makes
/// <c>invoice&#x202E;txt.exe</c> display as <c>invoiceexe.txt</c>, and zero-width spaces make two names look alike.
/// Refused rather than removed, so what is stored is exactly what was sent.
/// </summary>
public static class VisibleText
{
    /// <summary>
    /// Zero-width non-joiner and joiner are Cf too, but Persian, the Indic scripts and emoji sequences need them to
    /// display correctly, and they cannot reorder or hide other characters.
    /// </summary>
    private static readonly HashSet<int> ShapingCharacters = [0x200C, 0x200D];

    /// <summary>Throws a 400 naming <paramref name="what"/> when the value holds a control or invisible formatting character.</summary>
    public static void Require(string what, string value, bool allowLineBreaks = false)
    {
        if (Problem(value, allowLineBreaks) is { } problem) throw ApiProblemException.BadRequest($"{what} {problem}.");
    }

    /// <summary>"contains control characters", "contains an invisible formatting character (U+202E)", or null when the text is fine.</summary>
    public static string? Problem(string value, bool allowLineBreaks = false)
    {
        foreach (var rune in value.EnumerateRunes())
        {
            if (Rune.IsControl(rune) && !(allowLineBreaks && rune.Value is '\n' or '\r' or '\t'))
                return "contains control characters";
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format && !ShapingCharacters.Contains(rune.Value))
                return $"contains an invisible formatting character (U+{rune.Value:X4}) that can disguise how it reads; remove it";
        }
        return null;
    }
}
