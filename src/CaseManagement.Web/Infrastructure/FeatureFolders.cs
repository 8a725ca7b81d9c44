using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.Razor;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// Views live next to their controller. The feature is the last segment of the controller's namespace:
/// <c>Features/{Feature}/{Controller}/{View}.cshtml</c>, else <c>Features/{Feature}/{View}.cshtml</c>,
/// else <c>Features/Shared/{View}.cshtml</c>.
/// </summary>
public sealed class FeatureFolderViewLocations : IConfigureOptions<RazorViewEngineOptions>, IViewLocationExpander
{
    private const string FeatureKey = "feature";

    public void Configure(RazorViewEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ViewLocationFormats.Clear();
        options.ViewLocationFormats.Add("/Features/{feature}/{1}/{0}.cshtml");
        options.ViewLocationFormats.Add("/Features/{feature}/{0}.cshtml");
        options.ViewLocationFormats.Add("/Features/Shared/{0}.cshtml");
        options.ViewLocationExpanders.Add(this);
    }

    public void PopulateValues(ViewLocationExpanderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var controllerNamespace = (context.ActionContext.ActionDescriptor as Microsoft.AspNetCore.Mvc.Controllers.ControllerActionDescriptor)
            ?.ControllerTypeInfo.Namespace;
        context.Values[FeatureKey] = controllerNamespace?[(controllerNamespace.LastIndexOf('.') + 1)..] ?? "Shared";
    }

    public IEnumerable<string> ExpandViewLocations(ViewLocationExpanderContext context, IEnumerable<string> viewLocations)
    {
        ArgumentNullException.ThrowIfNull(context);
        var feature = context.Values.TryGetValue(FeatureKey, out var value) && value is not null ? value : "Shared";
        return viewLocations.Select(location => location.Replace("{feature}", feature, StringComparison.Ordinal));
    }
}

/// <summary>Only API controllers appear in the OpenAPI document; MVC pages do not.</summary>
public sealed class ApiExplorerOnlyForApiControllers : IControllerModelConvention
{
    public void Apply(ControllerModel controller)
    {
        ArgumentNullException.ThrowIfNull(controller);
        controller.ApiExplorer.IsVisible = controller.Attributes.OfType<ApiControllerAttribute>().Any();
    }
}
