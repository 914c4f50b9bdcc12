using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cluster.Api.Errors;

/// <summary>Copies a refusal's retry-after into the Retry-After header, where HTTP clients look for it.</summary>
public sealed class RetryAfterFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var problem = (result as INestedHttpResult)?.Result as ProblemHttpResult ?? result as ProblemHttpResult;
        if (problem?.ProblemDetails.Extensions.TryGetValue(ProblemResults.RetryAfterExtension, out var seconds) == true)
        {
            context.HttpContext.Response.Headers.RetryAfter = Convert.ToString(seconds, System.Globalization.CultureInfo.InvariantCulture);
        }

        return result;
    }
}
