using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ActionConstraints;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CaseManagement.Tests.Hardening;

public enum Location
{
    Route,
    Query,
    Body,
    Form,
}

/// <summary>One bound input of an action: a route value, a query or form field (a complex one without prefix, as MVC binds it), or the JSON body.</summary>
public sealed record Input(string Name, Location Location, Shape Shape);

/// <summary>One operation of the application: an API operation of the OpenAPI document or an MVC action, with what it binds.</summary>
public sealed partial record Operation(string Method, string Template, bool IsApi, string Action, IReadOnlyList<Input> Inputs)
{
    public string Key => $"{Method} {Template}";

    /// <summary>The inputs a request can carry a hostile value in (route values are ids, chosen by the test).</summary>
    public IReadOnlyList<Input> Fields => Inputs.Where(i => i.Location != Location.Route).ToList();

    public IEnumerable<string> RouteNames => RouteValue().Matches(Template).Select(m => m.Groups[1].Value);

    /// <summary>The address with route values filled in.</summary>
    public string Path(Func<string, string> routeValue) => RouteValue().Replace(Template, m => Uri.EscapeDataString(routeValue(m.Groups[1].Value)));

    [GeneratedRegex(@"\{([A-Za-z]+)(:[^}]*)?\}")]
    private static partial Regex RouteValue();
}

/// <summary>
/// Every operation of the running application: the API operations of the served OpenAPI document and every MVC
/// action (from the application's action descriptors, so a new controller action is covered without a new test),
/// each with the shape of what it binds.
/// </summary>
public static class RouteCatalogue
{
    private static readonly string[] UnsafeFirst = ["POST", "PUT", "PATCH", "DELETE"];

    public sealed record Catalogue(IReadOnlyList<Operation> Api, IReadOnlyList<Operation> Pages, IReadOnlyList<string> OtherEndpoints);

    public static async Task<Catalogue> ReadAsync(IServiceProvider services, HttpClient anonymous)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(anonymous);
        var actions = services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items.OfType<ControllerActionDescriptor>().ToList();
        var operations = actions.SelectMany(ToOperations).ToList();

        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => $"{method.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet(StringComparer.Ordinal);
        var apiActions = operations.Where(o => o.IsApi).ToList();
        var undocumented = apiActions.Where(o => !documented.Contains(Normalised(o))).Select(o => o.Key).ToList();
        var withoutAction = documented.Where(d => apiActions.All(o => Normalised(o) != d)).ToList();
        Assert.True(undocumented.Count == 0 && withoutAction.Count == 0,
            $"The OpenAPI document and the API's actions differ. Not documented: {string.Join(", ", undocumented)}. Without action: {string.Join(", ", withoutAction)}.");

        // Endpoints that are no controller action (health checks, the OpenAPI document): requested with a stray hostile query.
        var others = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ControllerActionDescriptor>() is null && e.RoutePattern.RawText is { } raw && !raw.Contains('{', StringComparison.Ordinal))
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        return new Catalogue(
            apiActions.Where(o => documented.Contains(Normalised(o))).OrderBy(o => o.Key, StringComparer.Ordinal).ToList(),
            operations.Where(o => !o.IsApi).OrderBy(o => o.Key, StringComparer.Ordinal).ToList(),
            others);
    }

    /// <summary>The operation as the OpenAPI document names it: <c>POST /api/v1/clients/{id}</c> (no route constraints).</summary>
    private static string Normalised(Operation operation) =>
        $"{operation.Method} {Regex.Replace(operation.Template, @"\{([A-Za-z]+):[^}]*\}", "{$1}")}";

    private static IEnumerable<Operation> ToOperations(ControllerActionDescriptor action)
    {
        var template = "/" + (action.AttributeRouteInfo?.Template ?? "").TrimStart('/');
        var isApi = template.StartsWith("/api/", StringComparison.Ordinal);
        var methods = action.ActionConstraints?.OfType<HttpMethodActionConstraint>().SelectMany(c => c.HttpMethods).ToList() is { Count: > 0 } declared
            ? declared
            : ["GET", "POST"];
        foreach (var method in methods.OrderBy(m => Array.IndexOf(UnsafeFirst, m)))
        {
            var inputs = new List<Input>();
            foreach (var parameter in action.Parameters)
            {
                var type = parameter.ParameterType;
                if (type == typeof(CancellationToken) || typeof(Microsoft.AspNetCore.Http.IFormFile).IsAssignableFrom(type))
                {
                    continue;
                }

                var source = parameter.BindingInfo?.BindingSource;
                var inRoute = template.Contains("{" + parameter.Name, StringComparison.OrdinalIgnoreCase);
                var location = inRoute || source == BindingSource.Path ? Location.Route
                    : source == BindingSource.Body ? Location.Body
                    : source == BindingSource.Query || method is "GET" or "DELETE" || isApi ? Location.Query
                    : Location.Form;
                var shape = Shape.Of(type, json: location == Location.Body);
                if (shape is Shape.Opaque)
                {
                    continue;
                }

                // A complex value in a query or form is bound by its property names (no prefix), as the pages send it.
                if (shape is Shape.Record record && location is Location.Query or Location.Form)
                {
                    inputs.AddRange(record.Properties.Select(p => new Input(p.Name, location, p.Shape)));
                }
                else
                {
                    inputs.Add(new Input(isApi && location == Location.Query ? JsonNamingPolicy.CamelCase.ConvertName(parameter.Name) : parameter.Name, location, shape));
                }
            }

            yield return new Operation(method, template, isApi, $"{action.ControllerName}.{action.ActionName}", inputs);
        }
    }
}
