using Cluster.Api.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cluster.Api.Account;

/// <summary>Who the token says the caller is: the user id and role every other endpoint acts as.</summary>
public sealed record Me(string UserId, string Role);

/// <summary>GET /api/v1/me: the caller as the token names them.</summary>
public static class AccountApi
{
    public static RouteGroupBuilder MapAccount(this RouteGroupBuilder api)
    {
        api.MapGet("/me", GetMe).WithTags("Account").WithName("GetMe");
        return api;
    }

    private static Ok<Me> GetMe(HttpContext http)
    {
        var actor = http.User.ToActor();
        return TypedResults.Ok(new Me(actor.UserId, ActorClaims.RoleName(actor.Role)));
    }
}
