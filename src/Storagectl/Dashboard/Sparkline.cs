using System.Globalization;

namespace Storagectl.Dashboard;

/// <summary>A small inline SVG line of the last values, drawn on the server: no chart library, no script.</summary>
public static class Sparkline
{
    private const int Width = 160, Height = 32;

    /// <param name="label">What the line shows, for screen readers (the value itself is printed beside it).</param>
    /// <param name="floor">The top of the scale is at least this, so a flat line of small values stays low.</param>
    public static Html Draw(IReadOnlyList<double> values, string label, double floor, string cssClass)
    {
        if (values.Count < 2) return Html.Of($"<span class=\"spark-empty\">{label}: not enough samples yet</span>");
        var top = Math.Max(floor, values.Max());
        var step = (double)Width / (values.Count - 1);
        var points = string.Join(' ', values.Select((v, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{i * step:0.#},{Height - 1 - Math.Clamp(v / top, 0, 1) * (Height - 2):0.#}")));
        return Html.Of($"<svg class=\"spark {cssClass}\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{label}\"><polyline points=\"{points}\" /></svg>");
    }
}
