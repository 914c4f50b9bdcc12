using Cluster.Api.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Cluster.Api.Auth;

public sealed record DevTokenRequest(string? UserId);

/// <summary>POST /dev/token: tokens for the demo users. Mapped only when dev tokens are on, which the node allows only in the embedded profile.</summary>
public static partial class DevTokenEndpoints
{
    public static IEndpointRouteBuilder MapDevTokens(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/dev/token", Issue).AllowAnonymous().WithTags("Development").WithName("IssueDevelopmentToken");
        endpoints.MapGet("/dev/users", () => TypedResults.Ok(DemoUsers.All.Select(u => new { u.UserId, Role = ActorClaims.RoleName(u.Role), u.DisplayName })))
            .AllowAnonymous().WithTags("Development");
        return endpoints;
    }

    private static Results<Ok<IssuedToken>, ProblemHttpResult> Issue(DevTokenRequest request, TokenIssuer issuer, ILoggerFactory loggers)
    {
        if (request.UserId is not { Length: > 0 } userId || DemoUsers.Find(userId) is not { } user)
        {
            return ProblemResults.Create(StatusCodes.Status404NotFound, "unknown_user",
                "There is no demo user with that id. GET /dev/users lists them.");
        }

        Log.Issued(loggers.CreateLogger("Cluster.Api.Auth.DevTokens"), user.UserId);
        return TypedResults.Ok(issuer.Issue(user.UserId, user.Role, user.DisplayName));
    }

    private static partial class Log
    {
        [LoggerMessage(4100, LogLevel.Information, "Issued a development token for {UserId}")]
        public static partial void Issued(ILogger logger, string userId);
    }
}
