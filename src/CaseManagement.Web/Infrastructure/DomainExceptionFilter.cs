using CaseManagement.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// Maps what the use cases throw to HTTP: unknown (or another organisation's) things are 404,
/// missing rights are 403. Pages get the German error page, the API a ProblemDetails body.
/// </summary>
public sealed class DomainExceptionFilter : IExceptionFilter
{
    public void OnException(ExceptionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int? status = context.Exception switch
        {
            NotFoundException => StatusCodes.Status404NotFound,
            UnauthorizedAccessException => StatusCodes.Status403Forbidden,
            _ => null,
        };
        if (status is { } code)
        {
            context.Result = new StatusCodeResult(code);
            context.ExceptionHandled = true;
        }
    }
}
