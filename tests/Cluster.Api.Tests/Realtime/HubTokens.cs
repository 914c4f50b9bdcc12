using System.Security.Claims;
using System.Text;
using Cluster.Api.Auth;
using Cluster.Api.Tests.Fixtures;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cluster.Api.Tests.Realtime;

/// <summary>Tokens the way an attacker or a stale app would present them, for the hub's authentication tests.</summary>
public static class HubTokens
{
    public const string OtherKey = "not-the-nodes-key-but-long-enough-0123456789";

    public static string Mint(
        string userId = Portal.Clinician,
        string role = "clinician",
        string key = ApiFactory.SigningKey,
        string issuer = ApiFactory.Issuer,
        string audience = ApiFactory.Audience,
        DateTime? notBefore = null,
        DateTime? expires = null)
    {
        var now = DateTime.UtcNow;
        var from = notBefore ?? now.AddMinutes(-1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = from,
            NotBefore = from,
            Expires = expires ?? now.AddHours(1),
            Subject = new ClaimsIdentity([new Claim(ActorClaims.Subject, userId), new Claim(ActorClaims.Role, role)]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>A token by name, so theories can list the bad ones.</summary>
    public static string? Named(string kind)
    {
        var now = DateTime.UtcNow;
        return kind switch
        {
            "none" => null,
            "valid" => Mint(),
            "expired" => Mint(notBefore: now.AddHours(-2), expires: now.AddMinutes(-5)),
            "not-yet-valid" => Mint(notBefore: now.AddHours(1), expires: now.AddHours(2)),
            "wrong-signature" => Mint(key: OtherKey),
            "wrong-audience" => Mint(audience: "someone-elses-clients"),
            "wrong-issuer" => Mint(issuer: "someone-else"),
            "unsigned" => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = ApiFactory.Issuer,
                Audience = ApiFactory.Audience,
                Expires = now.AddHours(1),
                Subject = new ClaimsIdentity([new Claim(ActorClaims.Subject, Portal.Clinician), new Claim(ActorClaims.Role, "clinician")]),
            }),
            "garbage" => "not.a.token",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown token kind"),
        };
    }
}
