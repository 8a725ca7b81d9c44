using CaseManagement.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// Request bodies are at most <see cref="InputLimits.MaxRequestBodyBytes"/> (an endpoint may allow more with
/// <see cref="RequestSizeLimitAttribute"/>): a larger declared body is refused with 413 before it is read,
/// a larger streamed one when it gets there — never with a 500.
/// </summary>
public static class RequestLimits
{
    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? InputLimits.MaxRequestBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            // The framework's form reader refuses some values (e.g. an encoded NUL character) only by throwing while
            // the antiforgery check reads the form — answer that as what it is: a value that cannot be stored.
            if (context.Request.HasFormContentType && context.Features.Get<IStatusCodeReExecuteFeature>() is null && !await FormIsReadable(context))
            {
                context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return;
            }

            await next(context);
        });

    private static async Task<bool> FormIsReadable(HttpContext context)
    {
        try
        {
            await context.Request.ReadFormAsync(context.RequestAborted);
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>The status of an exception the server itself raised about the request (e.g. 413 while reading a streamed body), else 500.</summary>
    public static int StatusOf(Exception exception) =>
        exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
}
