using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using CaseManagement.Common;
using CaseManagement.Web.Features.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// The outer bounds of every request, checked once for every action before it runs (docs/input-limits.md):
/// no text with control characters (NUL, …) or beyond <see cref="InputLimits.MaxTextLength"/> characters, no
/// list with empty entries or beyond <see cref="InputLimits.MaxListCount"/> entries, no undefined choice, and —
/// in the API and in every submitted form (any method but GET) — no date outside 01.01.1900…31.12.2100 and, in a
/// form, no value the model binder could not read (a date, number, id or choice that is none). Anything else is
/// refused with a German 422 naming the field, and nothing is stored: a form is refused whole, also when the
/// action does not use the field (forms are shared by several actions). The fields' own, narrower limits stay in
/// the use cases' input checks, which show their messages next to the field (on pages with GET filters also for
/// dates outside the outer bounds).
/// </summary>
public sealed class InputGuardFilter : IAsyncActionFilter, IOrderedFilter
{
    /// <summary>Before the API's automatic 400 and every other filter.</summary>
    public int Order => -3000;

    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var isApi = context.HttpContext.Request.Path.StartsWithSegments("/api");
        var isForm = !isApi && !HttpMethods.IsGet(context.HttpContext.Request.Method) && !HttpMethods.IsHead(context.HttpContext.Request.Method);
        var problems = new List<(string Field, string Message)>();
        foreach (var parameter in context.ActionDescriptor.Parameters)
        {
            if (!context.ActionArguments.TryGetValue(parameter.Name, out var value))
            {
                continue;
            }

            // Fields are named as the request names them: a JSON body's from its root ("text", "goals[0].newText"), a
            // form's or query's object by its properties ("ClosedOn", as the page posts it), a single value by the parameter.
            var isBody = parameter.BindingInfo?.BindingSource == BindingSource.Body;
            var isObject = parameter.ParameterType.Namespace?.StartsWith("CaseManagement", StringComparison.Ordinal) == true && !parameter.ParameterType.IsEnum;
            var path = isBody || isObject ? "" : isApi ? JsonNamingPolicy.CamelCase.ConvertName(parameter.Name) : parameter.Name;
            InputInspector.Inspect(value, path, new InputInspector.Options(CheckDates: isApi || isForm, CamelCase: isApi), problems, depth: 0);
        }

        if (isForm)
        {
            // The API answers unreadable values with its automatic 400; a form would otherwise go on with an empty field,
            // and the model binder drops an empty entry of a list (or the whole list, for a list of objects).
            problems.AddRange(InputInspector.Unreadable(context.ModelState).Select(field => (field, InputInspector.UnreadableValue)));
            // The form as model binding read it (none when reading failed, e.g. on the error page shown for that).
            if (context.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form is { } form)
            {
                problems.AddRange(InputInspector.EmptyListEntries(context.ActionDescriptor.Parameters, form)
                    .Select(field => (field, InputInspector.EmptyEntry)));
            }
        }

        if (problems.Count == 0)
        {
            await next();
            return;
        }

        context.Result = isApi ? ApiProblem(problems) : PageProblem(problems);
    }

    private static UnprocessableEntityObjectResult ApiProblem(List<(string Field, string Message)> problems) =>
        new(new ValidationProblemDetails(problems
            .GroupBy(p => p.Field.Length == 0 ? "body" : p.Field)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Message).Distinct().ToArray()))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = GermanProblemDetails.Title(StatusCodes.Status422UnprocessableEntity),
            Detail = "Die Anfrage enthält Werte außerhalb der zulässigen Bereiche; es wurde nichts gespeichert.",
        });

    private static ViewResult PageProblem(List<(string Field, string Message)> problems) =>
        new()
        {
            ViewName = "~/Features/Errors/Error.cshtml",
            StatusCode = StatusCodes.Status422UnprocessableEntity,
            ViewData = new Microsoft.AspNetCore.Mvc.ViewFeatures.ViewDataDictionary(
                new Microsoft.AspNetCore.Mvc.ModelBinding.EmptyModelMetadataProvider(), new ModelStateDictionary())
            {
                Model = new ErrorPage(StatusCodes.Status422UnprocessableEntity, "Die Eingabe kann nicht gespeichert werden",
                    "Es wurde nichts gespeichert. Bitte gehen Sie zurück und korrigieren Sie die genannten Felder.")
                {
                    Details = problems.Select(p => $"{(p.Field.Length == 0 ? "Eingabe" : p.Field)}: {p.Message}").Distinct().ToList(),
                },
            },
        };
}

/// <summary>Walks a bound request value (records, lists, nested objects of this application) and reports what lies outside the outer bounds.</summary>
public static class InputInspector
{
    public sealed record Options(bool CheckDates, bool CamelCase);

    public const string ControlCharacters = "Der Text enthält Steuerzeichen (z. B. NUL), die nicht gespeichert werden können.";
    public const string EmptyEntry = "Die Liste enthält leere Einträge.";
    public const string UndefinedChoice = "Dieser Wert steht nicht zur Auswahl.";
    public const string UnreadableValue = "Der Wert kann nicht gelesen werden (kein gültiges Datum, keine Zahl, keine gültige Kennung oder Auswahl).";

    public static readonly string TextTooLong =
        $"Der Text ist zu lang (höchstens {InputLimits.MaxTextLength.ToString("N0", CultureInfo.GetCultureInfo("de-DE"))} Zeichen).";

    public static readonly string ListTooLong =
        $"Die Liste ist zu lang (höchstens {InputLimits.MaxListCount.ToString("N0", CultureInfo.GetCultureInfo("de-DE"))} Einträge).";

    public static readonly string DateOutOfRange =
        $"Das Datum muss zwischen {Time.Format(InputLimits.EarliestDate)} und {Time.Format(InputLimits.LatestDate)} liegen.";

    private const int MaxDepth = 8;
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    public static void Inspect(object? value, string path, Options options, List<(string Field, string Message)> problems, int depth)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        switch (value)
        {
            case null or CancellationToken or Guid or bool or int or long or decimal or double or NodaTime.Instant or IFormFile:
                return;
            case string text:
                if (InputLimits.HasForbiddenCharacters(text))
                {
                    problems.Add((path, ControlCharacters));
                }

                if (text.Length > InputLimits.MaxTextLength)
                {
                    problems.Add((path, TextTooLong));
                }

                return;
            case NodaTime.LocalDate date:
                if (options.CheckDates && !InputLimits.IsPlausible(date))
                {
                    problems.Add((path, DateOutOfRange));
                }

                return;
            case DateOnly day:
                if (options.CheckDates && !InputLimits.IsPlausible(NodaTime.LocalDate.FromDateOnly(day)))
                {
                    problems.Add((path, DateOutOfRange));
                }

                return;
            case Enum choice:
                if (!Enum.IsDefined(choice.GetType(), choice))
                {
                    problems.Add((path, UndefinedChoice));
                }

                return;
            case IEnumerable list:
                InspectList(list, path, options, problems, depth);
                return;
        }

        var type = value.GetType();
        if (depth >= MaxDepth || type.IsPrimitive || type.Namespace?.StartsWith("CaseManagement", StringComparison.Ordinal) != true)
        {
            return;
        }

        foreach (var property in Properties.GetOrAdd(type, ReadableProperties))
        {
            var name = options.CamelCase ? JsonNamingPolicy.CamelCase.ConvertName(property.Name) : property.Name;
            Inspect(property.GetValue(value), path.Length == 0 ? name : $"{path}.{name}", options, problems, depth + 1);
        }
    }

    /// <summary>
    /// Fields whose submitted value the model binder could not convert (it left them empty). A required field that
    /// was left empty is no such case: its value is empty, and the use case names it.
    /// </summary>
    public static IEnumerable<string> Unreadable(ModelStateDictionary modelState)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        return modelState
            .Where(entry => entry.Value is { ValidationState: ModelValidationState.Invalid } state && !string.IsNullOrWhiteSpace(state.AttemptedValue))
            .Select(entry => entry.Key);
    }

    /// <summary>
    /// List fields of a submitted form (a list parameter, or a list property of a form object) that carry an empty
    /// entry, e.g. <c>Scopes=&amp;Scopes=Counselling</c> or <c>Goals=</c> — a page never sends one.
    /// </summary>
    public static IEnumerable<string> EmptyListEntries(IEnumerable<ParameterDescriptor> parameters, IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(form);
        static bool IsList(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);
        var lists = parameters
            .Where(p => p.BindingInfo?.BindingSource != BindingSource.Body)
            .SelectMany(p => IsList(p.ParameterType) ? [p.Name]
                : p.ParameterType.Namespace?.StartsWith("CaseManagement", StringComparison.Ordinal) == true
                    ? Properties.GetOrAdd(p.ParameterType, ReadableProperties).Where(property => IsList(property.PropertyType)).Select(property => property.Name)
                    : []);
        return lists.Where(name => form.TryGetValue(name, out var values) && values.Any(string.IsNullOrWhiteSpace)).Distinct(StringComparer.OrdinalIgnoreCase);
    }

    private static PropertyInfo[] ReadableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToArray();

    private static void InspectList(IEnumerable list, string path, Options options, List<(string Field, string Message)> problems, int depth)
    {
        var index = 0;
        foreach (var item in list)
        {
            if (index == InputLimits.MaxListCount)
            {
                problems.Add((path, ListTooLong));
                return;
            }

            if (item is null)
            {
                problems.Add((path, EmptyEntry));
            }
            else
            {
                Inspect(item, $"{path}[{index}]", options, problems, depth + 1);
            }

            index++;
        }
    }
}
