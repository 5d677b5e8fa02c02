using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace Storagectl.Dashboard;

/// <summary>
/// Markup that is safe to send: built only by <see cref="Of"/>, which encodes every interpolated value unless it is
/// itself <see cref="Html"/>. Host names, versions, error messages and who ran a deploy come from hosts and history
/// files, so nothing reaches the page unencoded by accident.
/// </summary>
public readonly record struct Html(string Value)
{
    public static readonly Html Empty = new("");

    public static Html Of(ref HtmlHandler markup) => markup.ToHtml();

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public override string ToString() => Value;
}

[InterpolatedStringHandler]
public ref struct HtmlHandler(int literalLength, int formattedCount)
{
    private readonly StringBuilder _text = new(literalLength + formattedCount * 16);

    public readonly void AppendLiteral(string literal) => _text.Append(literal);

    public readonly void AppendFormatted(Html markup) => _text.Append(markup.Value);

    public readonly void AppendFormatted<T>(T value, string? format = null)
    {
        var text = value switch
        {
            null => "",
            IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        _text.Append(HtmlEncoder.Default.Encode(text));
    }

    public readonly Html ToHtml() => new(_text.ToString());
}
