using Cluster.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Cluster.Api.LoadTesting;

/// <summary>
/// The load tests' ceiling: a SignalR hub behind the same authentication, origin check and call limiter as the messaging
/// hub, with no grains, no storage and no backplane. Mapped only when <c>Api:LoadTestEndpoints</c> is set.
/// </summary>
[Authorize]
public sealed class EchoHub : Hub
{
    public const string Path = "/hubs/echo";

    /// <summary>The event a recipient of <see cref="EchoTo"/> receives.</summary>
    public const string EchoedEvent = "Echoed";

    /// <summary>Joins the connection to its user's group, which is what <see cref="EchoTo"/> addresses.</summary>
    public override Task OnConnectedAsync() =>
        Groups.AddToGroupAsync(Context.ConnectionId, UserGroup(Context.User!.FindFirst(ActorClaims.Subject)!.Value), Context.ConnectionAborted);

    /// <summary>Answers the payload: the round trip of a call with nothing behind it.</summary>
    public string Echo(string payload) => payload;

    /// <summary>Pushes the payload to every connection of <paramref name="userId"/> on this node, then answers: the bare send-to-receive path.</summary>
    public async Task<bool> EchoTo(string userId, string payload)
    {
        await Clients.Group(UserGroup(userId)).SendAsync(EchoedEvent, payload, Context.ConnectionAborted);
        return true;
    }

    private static string UserGroup(string userId) => "user:" + userId;
}
