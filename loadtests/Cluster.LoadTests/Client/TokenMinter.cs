using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cluster.LoadTests.Client;

/// <summary>
/// Mints the HS256 bearer tokens the node accepts, as an identity provider would hand them to client apps: subject,
/// lower-case role, display name, issuer, audience and lifetime. The load test holds the signing key of the node it
/// started (or is given it), so no user needs a password.
/// </summary>
public sealed class TokenMinter(string signingKey, string issuer = TokenMinter.DefaultIssuer, string audience = TokenMinter.DefaultAudience)
{
    public const string DefaultIssuer = "cluster";
    public const string DefaultAudience = "cluster-clients";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(signingKey);

    /// <summary>A token for <paramref name="userId"/> in <paramref name="role"/> ("patient", "proxy", "clinician", "staff", "admin").</summary>
    public string Mint(string userId, string role, TimeSpan? lifetime = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8);
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = userId,
            ["role"] = role,
            ["name"] = userId,
            ["iss"] = issuer,
            ["aud"] = audience,
            ["iat"] = now,
            ["nbf"] = now - 5,
            ["exp"] = now + (long)(lifetime ?? TimeSpan.FromHours(2)).TotalSeconds,
        }));
        var signed = header + "." + payload;
        return signed + "." + Base64Url(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signed)));
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
