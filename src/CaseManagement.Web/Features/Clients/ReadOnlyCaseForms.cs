using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace CaseManagement.Web.Features.Clients;

/// <summary>
/// A case whose processing is restricted, or whose client withdrew consent, is read-only for managers
/// (DSGVO Art. 18, Art. 7 Abs. 3): on such a case page, every form that would change the case is left out —
/// except those in <see cref="Key"/>'s list (consent renewal and withdrawal). The page shows why.
/// The write model refuses the same changes; this only keeps the page honest.
/// </summary>
[HtmlTargetElement("form", Attributes = "action")]
public sealed class ReadOnlyCaseFormTagHelper : TagHelper
{
    /// <summary>ViewData key: the endings of the case form actions still allowed (string[]); absent when the case is writable.</summary>
    public const string Key = "CaseFormsAllowed";

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        if (ViewContext.ViewData[Key] is not string[] allowed
            || !string.Equals(Text(context.AllAttributes["method"]?.Value), "post", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var action = Text(context.AllAttributes["action"]?.Value);
        if (action.StartsWith("/faelle/", StringComparison.Ordinal) && !allowed.Any(a => action.EndsWith(a, StringComparison.Ordinal)))
        {
            output.SuppressOutput();
        }
    }

    private static string Text(object? value)
    {
        if (value is IHtmlContent html)
        {
            using var writer = new StringWriter();
            html.WriteTo(writer, HtmlEncoder.Default);
            return writer.ToString();
        }

        return value?.ToString() ?? "";
    }
}
