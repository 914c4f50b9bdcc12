using Cluster.Api.Hosting;
using Cluster.Api.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Cluster.Api.Realtime;

/// <summary>
/// Refuses hub requests (negotiate and the WebSocket upgrade) from browser origins that are neither the node's own
/// nor listed in Api:AllowedOrigins. Requests without an Origin header (native apps, servers) are not browsers and pass.
/// </summary>
public sealed class OriginPolicy(RequestDelegate next, IOptions<ApiOptions> options)
{
    private readonly HashSet<string> _allowed = options.Value.AllowedOrigins
        .Select(o => new Uri(o).GetLeftPart(UriPartial.Authority)).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        // Two Origin headers are no browser's; which one a check read would be a guess, so neither is trusted.
        if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Headers.Origin is { Count: > 0 } origins
            && (origins.Count > 1 || (origins[0] is { Length: > 0 } origin && !Allowed(context, origin))))
        {
            await ProblemResults.Create(StatusCodes.Status403Forbidden, "origin_not_allowed",
                "This origin may not open the messaging hub.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private bool Allowed(HttpContext context, string origin) =>
        _allowed.Contains(origin) || string.Equals(origin, $"{context.Request.Scheme}://{context.Request.Host}", StringComparison.OrdinalIgnoreCase);
}
