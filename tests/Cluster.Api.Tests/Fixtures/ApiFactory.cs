using System.Net.Http.Headers;
using Cluster.Api.Auth;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Testing.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Api.Tests.Fixtures;

/// <summary>
/// The node in-process (its own Program) on a temp SQLite file, with a known signing key and the demo
/// organisation seeded. Tokens for any user come from <see cref="TokenFor(string, UserRole)"/>; tests that need
/// forged tokens use <see cref="SigningKey"/>, <see cref="Issuer"/> and <see cref="Audience"/>.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public const string SigningKey = "test-signing-key-0123456789-abcdefghijklmnop";
    public const string Issuer = "cluster-tests";
    public const string Audience = "cluster-test-clients";

    private readonly TempDirectory _directory = new();

    /// <summary>Extra configuration for this factory, applied over the defaults below; set before first use.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    public string TokenFor(DemoUser user) => TokenFor(user.UserId, user.Role);

    public string TokenFor(string userId, UserRole role) =>
        Services.GetRequiredService<TokenIssuer>().Issue(userId, role, userId).AccessToken;

    /// <summary>An HTTP client that sends the user's bearer token.</summary>
    public HttpClient ClientFor(DemoUser user)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(user));
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var values = new Dictionary<string, string?>
        {
            ["Cluster:Storage:Provider"] = "Sqlite",
            ["Cluster:Storage:ConnectionString"] = TestNode.SqliteConnectionString(_directory.Path),
            ["Cluster:Backplane:Provider"] = "InProcess",
            ["Auth:SigningKey"] = SigningKey,
            ["Auth:Issuer"] = Issuer,
            ["Auth:Audience"] = Audience,
            ["Auth:DevTokens"] = "true",
        };
        foreach (var (key, value) in Settings)
        {
            values[key] = value;
        }

        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(values));
    }
}
