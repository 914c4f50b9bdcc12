using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Cluster.Api.Account;
using Cluster.Api.Auth;
using Cluster.Api.Tests.Fixtures;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cluster.Api.Tests.Rest;

/// <summary>Every /api/v1 endpoint needs a bearer token this node signed, for this audience, from this issuer, still valid.</summary>
public sealed class AuthenticationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly SymmetricSecurityKey TestKey = new(Encoding.UTF8.GetBytes(ApiFactory.SigningKey));
    private static readonly SymmetricSecurityKey OtherKey = new(Encoding.UTF8.GetBytes("a-different-key-of-sufficient-length-0123456789"));

    [Theory]
    [InlineData("/api/v1/me")]
    [InlineData("/api/v1/conversations")]
    [InlineData("/api/v1/sync")]
    [InlineData("/api/v1/inbox")]
    [InlineData("/api/v1/terms")]
    public async Task AMissingTokenIsRefused401(string path)
    {
        var response = await new RestClient(factory.CreateClient()).GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task AWellFormedTokenMintedWithTheNodesKeyIsAccepted()
    {
        var me = await (await MeWithAsync(Mint())).ReadAsync<Me>(HttpStatusCode.OK);

        Assert.Equal(new Me(DemoUsers.Alice.UserId, "patient"), me);
    }

    [Fact]
    public async Task AnExpiredTokenIsRefused401()
    {
        var now = DateTime.UtcNow;

        var response = await MeWithAsync(Mint(notBefore: now.AddHours(-2), expires: now.AddMinutes(-5)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ATokenSignedWithAnotherKeyIsRefused401() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeWithAsync(Mint(key: OtherKey))).StatusCode);

    [Fact]
    public async Task ATokenForAnotherAudienceIsRefused401() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeWithAsync(Mint(audience: "someone-elses-clients"))).StatusCode);

    [Fact]
    public async Task ATokenFromAnotherIssuerIsRefused401() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeWithAsync(Mint(issuer: "someone-else"))).StatusCode);

    [Fact]
    public async Task AnUnsignedTokenIsRefused401()
    {
        var unsigned = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = ApiFactory.Issuer,
            Audience = ApiFactory.Audience,
            Expires = DateTime.UtcNow.AddMinutes(10),
            Subject = new ClaimsIdentity([new Claim(ActorClaims.Subject, DemoUsers.Admin.UserId), new Claim(ActorClaims.Role, "admin")]),
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await MeWithAsync(unsigned)).StatusCode);
    }

    /// <summary>A token this node would never issue (no role, one it does not know, or not a role name) establishes no actor: 401, not a 500 or an admin.</summary>
    [Theory]
    [InlineData("superuser")]
    [InlineData("4")]
    [InlineData("patient, admin")]
    [InlineData("")]
    [InlineData(null)]
    public async Task ASignedTokenWithoutAUsableRoleIsRefused401(string? role)
    {
        var response = await MeWithAsync(Mint(role: role));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ATokenInTheQueryStringIsIgnoredOutsideTheHub()
    {
        var response = await new RestClient(factory.CreateClient()).GetAsync($"/api/v1/me?access_token={Mint()}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string Mint(SymmetricSecurityKey? key = null, string issuer = ApiFactory.Issuer, string audience = ApiFactory.Audience,
        DateTime? notBefore = null, DateTime? expires = null, string? role = "patient")
    {
        var from = notBefore ?? DateTime.UtcNow.AddMinutes(-1);
        var claims = new List<Claim> { new(ActorClaims.Subject, DemoUsers.Alice.UserId) };
        if (role is not null)
        {
            claims.Add(new Claim(ActorClaims.Role, role));
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = from,
            NotBefore = from,
            Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(key ?? TestKey, SecurityAlgorithms.HmacSha256),
        });
    }

    private Task<HttpResponseMessage> MeWithAsync(string token)
    {
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new RestClient(http).GetAsync("/api/v1/me");
    }
}
