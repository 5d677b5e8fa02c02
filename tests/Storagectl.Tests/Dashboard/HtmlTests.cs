using Storagectl.Dashboard;

namespace Storagectl.Tests.Dashboard;

/// <summary>Html.Of encodes what is interpolated into it, except markup that is itself Html (built the same way).</summary>
public sealed class HtmlTests
{
    [Fact]
    public void Interpolated_strings_are_encoded_and_nested_html_is_not()
    {
        var who = "<img src=x onerror=alert(1)>";
        var inner = Html.Of($"<em>{who}</em>");

        var outer = Html.Of($"<p title=\"{"\" onmouseover=\"x"}\">{inner} & {"a & b"}</p>");

        inner.Value.ShouldBe("<em>&lt;img src=x onerror=alert(1)&gt;</em>");
        outer.Value.ShouldBe("<p title=\"&quot; onmouseover=&quot;x\"><em>&lt;img src=x onerror=alert(1)&gt;</em> & a &amp; b</p>");
    }

    [Fact]
    public void Joined_parts_stay_markup_and_values_are_formatted_invariantly()
    {
        var items = Html.Join(new[] { "<b>", "1.5" }.Select(v => Html.Of($"<li>{v}</li>")));

        Html.Of($"<ol>{items}</ol><p>{1234.5:0.0} {null as string}</p>").Value.ShouldBe("<ol><li>&lt;b&gt;</li><li>1.5</li></ol><p>1234.5 </p>");
        Html.Empty.Value.ShouldBe("");
    }
}
