using System.Security.Claims;
using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Api.Auth;

/// <summary>The claims this API reads: the subject is the user id, the role one of <see cref="UserRole"/> in lower case.</summary>
public static class ActorClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Name = "name";

    private static readonly Dictionary<string, UserRole> Roles =
        new[] { UserRole.Patient, UserRole.Proxy, UserRole.Clinician, UserRole.Staff, UserRole.Admin }
            .ToDictionary(RoleName, StringComparer.Ordinal);

    /// <summary>The actor of a request: always the token's subject and role, never anything in the request body.</summary>
    public static Actor ToActor(this ClaimsPrincipal user) =>
        TryGetActor(user, out var actor) ? actor : throw new InvalidOperationException("The token has no usable subject or role.");

    /// <summary>
    /// Reads the actor, accepting only one subject that has the shape of a user id (<see cref="UserIds"/>) and exactly one
    /// of the role names (no numbers, no lists, no "system"): a token that names anything else is refused at authentication.
    /// </summary>
    public static bool TryGetActor(ClaimsPrincipal user, out Actor actor)
    {
        actor = null!;
        var ids = user.FindAll(Subject).ToList();
        var roles = user.FindAll(Role).ToList();
        if (ids is not [{ Value: var id }] || !UserIds.IsValid(id) || roles is not [{ } role] || !Roles.TryGetValue(role.Value, out var parsed))
        {
            return false;
        }

        actor = new Actor(id, parsed);
        return true;
    }

    public static string RoleName(UserRole role) => role.ToString().ToLowerInvariant();
}
