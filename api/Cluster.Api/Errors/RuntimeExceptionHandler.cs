using System.Text.Json;
using Cluster.Api.Input;
using Cluster.Grains.Abstractions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Cluster.Api.Errors;

/// <summary>
/// The last line: a runtime failure becomes a retryable 503, anything else a bare 500. Neither carries exception
/// text or a stack trace; the log has the exception type and the request path, never bodies or tokens.
/// </summary>
public sealed partial class RuntimeExceptionHandler(ILogger<RuntimeExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is GrainRuntimeException runtime)
        {
            Log.Unavailable(logger, runtime.GetType().Name, httpContext.Request.Path);
            var problem = ProblemResults.FromRuntime(runtime);
            if (runtime.IsRetryable)
            {
                httpContext.Response.Headers.RetryAfter = "1";
            }

            await problem.ExecuteAsync(httpContext);
            return true;
        }

        if (exception is BadHttpRequestException bad)
        {
            var problem = bad.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => InputProblems.TooLarge(httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0),
                StatusCodes.Status415UnsupportedMediaType => InputProblems.NotJson(),
                _ => InputProblems.Unreadable(bad.InnerException as JsonException),
            };
            await problem.ExecuteAsync(httpContext);
            return true;
        }

        Log.Failed(logger, exception, httpContext.Request.Path);
        await ProblemResults.Create(StatusCodes.Status500InternalServerError, "internal_error", "Something went wrong on our side; nothing more can be said here.").ExecuteAsync(httpContext);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(4000, LogLevel.Warning, "Request {Path} failed with {Failure}; answered 503")]
        public static partial void Unavailable(ILogger logger, string failure, PathString path);

        [LoggerMessage(4001, LogLevel.Error, "Request {Path} failed unexpectedly")]
        public static partial void Failed(ILogger logger, Exception exception, PathString path);
    }
}
