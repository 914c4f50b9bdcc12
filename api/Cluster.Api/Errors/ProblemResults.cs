using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Outcomes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cluster.Api.Errors;

/// <summary>Domain refusals as RFC 9457 problem details: the stable code, the person's sentence, and Retry-After when waiting helps.</summary>
public static class ProblemResults
{
    public const string CodeExtension = "code";
    public const string RetryAfterExtension = "retryAfterSeconds";

    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.NotFound or ErrorCodes.ProxyNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Forbidden or ErrorCodes.TermsNotAccepted or ErrorCodes.NotPoolMember
            or ErrorCodes.ProxyScope or ErrorCodes.ProxyRevoked or ErrorCodes.ProxyExpired or ErrorCodes.ProxyPrivate or ErrorCodes.ProxyAgeEnded
            => StatusCodes.Status403Forbidden,
        ErrorCodes.RateLimited or ErrorCodes.ConversationLimit => StatusCodes.Status429TooManyRequests,
        ErrorCodes.ConversationClosed or ErrorCodes.ConversationExists or ErrorCodes.AlreadyClaimed or ErrorCodes.NotAssigned
            or ErrorCodes.TermsVersionMismatch or ErrorCodes.IdempotencyConflict or ErrorCodes.ProxyLimit => StatusCodes.Status409Conflict,
        ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ProblemHttpResult ToHttp(this Problem problem) =>
        Create(StatusOf(problem.Code), problem.Code, problem.Message, problem.RetryAfter);

    public static ProblemHttpResult Create(int status, string code, string detail, TimeSpan? retryAfter = null)
    {
        var details = new ProblemDetails
        {
            Status = status,
            Title = code.Replace('_', ' '),
            Detail = detail,
            Type = "https://cluster.invalid/problems/" + code,
        };
        details.Extensions[CodeExtension] = code;
        if (retryAfter is { } wait)
        {
            details.Extensions[RetryAfterExtension] = (int)Math.Ceiling(wait.TotalSeconds);
        }

        return TypedResults.Problem(details);
    }

    /// <summary>A runtime failure (store unreachable, call timed out, too much contention): retryable, nothing committed, no internals.</summary>
    public static ProblemHttpResult FromRuntime(GrainRuntimeException exception) =>
        Create(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable,
            "The service could not complete this request just now; nothing was saved. Please try again in a moment.",
            exception.IsRetryable ? TimeSpan.FromSeconds(1) : null);
}
