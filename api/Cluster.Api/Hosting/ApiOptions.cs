namespace Cluster.Api.Hosting;

/// <summary>The "Api" section: limits of the HTTP and WebSocket surface.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Browser origins allowed to open the hub (besides the node's own). Native apps send no Origin and are not affected.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Hub connections one user may hold on one node.</summary>
    public int MaxConnectionsPerUser { get; set; } = 10;

    /// <summary>Hub calls a connection may make per second, sustained, and in a burst.</summary>
    public int HubCallsPerSecond { get; set; } = 20;

    public int HubCallBurst { get; set; } = 40;

    /// <summary>
    /// The largest hub frame accepted; a larger one closes the connection with a reason. Unset, it is sized from the body's
    /// character cap (<see cref="MessageSizes.HubFrameBytes"/>); a value too small for a full-length message is refused at start.
    /// </summary>
    public int? MaxHubMessageBytes { get; set; }

    /// <summary>The largest request body; unset, sized from the character caps like <see cref="MaxHubMessageBytes"/>.</summary>
    public int? MaxRequestBodyBytes { get; set; }

    /// <summary>Host names the node answers for (the Host header), so a page on a rebound domain cannot reach it. "*" allows any.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>At most one typing notice per user and conversation in this time.</summary>
    public TimeSpan TypingInterval { get; set; } = TimeSpan.FromSeconds(3);

    public int MaxSyncPage { get; set; } = 500;

    /// <summary>
    /// Serves the load tests' baseline endpoints (a bare echo hub at /hubs/echo and a memory probe at /loadtest/memory).
    /// Off by default; set it only on nodes under a load test.
    /// </summary>
    public bool LoadTestEndpoints { get; set; }

    /// <summary>The hub frame limit in force: the configured one, or the smallest that takes every valid message.</summary>
    public int HubFrameBytes(MessageCaps caps) => MaxHubMessageBytes ?? MessageSizes.HubFrameBytes(caps);

    /// <summary>The request body limit in force: the configured one, or the smallest that takes every valid body.</summary>
    public int RequestBodyBytes(MessageCaps caps) => MaxRequestBodyBytes ?? MessageSizes.RequestBodyBytes(caps);

    /// <summary>The host names in force: the configured ones, or the loopback names of local development.</summary>
    public IReadOnlyList<string> HostsInForce => AllowedHosts.Count > 0 ? AllowedHosts : DefaultHosts;

    /// <summary>Local development only; production lists its public host names (Api:AllowedHosts).</summary>
    public static IReadOnlyList<string> DefaultHosts { get; } = ["localhost", "127.0.0.1", "[::1]"];
}

/// <summary>The "Auth" section: how bearer tokens are checked (and, in the embedded profile, minted).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public string Issuer { get; set; } = "cluster";

    public string Audience { get; set; } = "cluster-clients";

    /// <summary>HMAC-SHA256 key, at least 32 characters. May be empty only with dev tokens, when a key is made for the process.</summary>
    public string SigningKey { get; set; } = "";

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Serves POST /dev/token for the seeded demo users. The node allows it only in the embedded profile.</summary>
    public bool DevTokens { get; set; }
}
