using Cluster.Api.Errors;
using Cluster.Api.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Cluster.Api.Input;

/// <summary>
/// Answers only for the host names in Api:AllowedHosts (by default the loopback names of local development). A page on a
/// domain rebound to the node's address sends its own name as Host and as Origin; refusing the Host keeps the hub's origin
/// check, which trusts the node's own origin, from being paired with an attacker's. Requests without Host (HTTP/1.0 probes) pass.
/// </summary>
public sealed class HostPolicy(RequestDelegate next, IOptions<ApiOptions> options)
{
    private readonly StringSegment[] _hosts = options.Value.HostsInForce.Select(h => new StringSegment(h)).ToArray();
    private readonly bool _any = options.Value.HostsInForce.Contains("*");

    public async Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host;
        if (!_any && host.HasValue && !HostString.MatchesAny(host.Host, _hosts))
        {
            await ProblemResults.Create(StatusCodes.Status400BadRequest, HostNotAllowed,
                "This service does not answer for the host name in the request.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    public const string HostNotAllowed = "host_not_allowed";
}
