using System.Security.Claims;
using Cluster.Api.Hosting;
using Cluster.Grains.Abstractions.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cluster.Api.Auth;

/// <summary>A signed access token and when it stops working.</summary>
public sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresAt, string UserId, string Role);

/// <summary>Mints tokens the node accepts; used by the development token endpoint and by tests.</summary>
public sealed class TokenIssuer(SigningKey key, IOptions<AuthOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    public IssuedToken Issue(string userId, UserRole role, string displayName)
    {
        var now = clock.GetUtcNow();
        var expires = now + options.Value.TokenLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim(ActorClaims.Subject, userId),
                new Claim(ActorClaims.Role, ActorClaims.RoleName(role)),
                new Claim(ActorClaims.Name, displayName),
            ]),
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.HmacSha256),
        });
        return new IssuedToken(token, expires, userId, ActorClaims.RoleName(role));
    }
}
