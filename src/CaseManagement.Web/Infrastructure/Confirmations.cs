using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// The short confirmation a page shows once after a successful save (post/redirect/get). It travels in
/// TempData (a data-protected cookie), never in the URL, so nobody can make a page show a text of their own.
/// </summary>
public static class Confirmations
{
    private const string Key = "cm.confirmation";

    /// <summary>Shows <paramref name="text"/> on the next page this user sees.</summary>
    public static void Confirm(this Controller controller, string text)
    {
        ArgumentNullException.ThrowIfNull(controller);
        controller.TempData[Key] = text;
    }

    /// <summary>Post/redirect/get: back to <paramref name="action"/>, which then shows <paramref name="text"/> once.</summary>
    public static RedirectToActionResult Confirmed(this Controller controller, string text, string action, object? routeValues = null)
    {
        controller.Confirm(text);
        return controller.RedirectToAction(action, routeValues);
    }

    /// <summary>Post/redirect/get: back to <paramref name="action"/> of <paramref name="controllerName"/>, which then shows <paramref name="text"/> once.</summary>
    public static RedirectToActionResult Confirmed(this Controller controller, string text, string action, string controllerName, object? routeValues)
    {
        controller.Confirm(text);
        return controller.RedirectToAction(action, controllerName, routeValues);
    }

    /// <summary>The confirmation left by the previous request (read once), or null.</summary>
    public static string? Confirmation(this Controller controller)
    {
        ArgumentNullException.ThrowIfNull(controller);
        return controller.TempData[Key] as string;
    }
}
