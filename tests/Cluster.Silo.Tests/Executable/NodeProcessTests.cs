using System.Net;
using System.Text.RegularExpressions;
using Cluster.Silo.Tests.Fixtures;
using Cluster.Testing;

namespace Cluster.Silo.Tests.Executable;

public sealed partial class NodeProcessTests
{
    [Fact(Timeout = Bounded.TestMilliseconds)]
    public async Task NodeWithoutConfigurationServesHealthOnEmbeddedStorageInItsWorkingDirectory()
    {
        using var directory = new TempDirectory();
        // The node resolves its working directory itself (symbolic links and all); a marker proves the logged path is under it.
        const string marker = "working-directory.marker";
        await File.WriteAllTextAsync(Path.Combine(directory.Path, marker), "");
        await using var node = SiloProcess.Start(directory.Path, FreePort.Next());
        await node.WaitUntilLiveAsync();

        await AssertAnswersAsync(node, "/healthz", HttpStatusCode.OK, "Healthy");
        await AssertAnswersAsync(node, "/readyz", HttpStatusCode.OK, "\"status\":\"Healthy\"");
        Assert.True(File.Exists(Path.Combine(directory.Path, "data", "cluster.db")), "The node should create ./data/cluster.db in its working directory.");

        var logged = LoggedDataFile().Match(node.Output);
        Assert.True(logged.Success, $"The node should log its data file. Output:\n{node.Output}");
        var path = logged.Groups["path"].Value;
        Assert.True(Path.IsPathFullyQualified(path), $"The logged data file '{path}' should be absolute.");
        Assert.True(File.Exists(path), $"The logged data file '{path}' should exist.");
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(path))!, marker)), $"The logged data file '{path}' should lie under ./data of the working directory.");
    }

    [Fact(Timeout = Bounded.TestMilliseconds)]
    public async Task NodeStoppedBySigtermExitsCleanlyAndStartsAgainOnItsExistingDatabase()
    {
        using var directory = new TempDirectory();
        await using (var first = SiloProcess.Start(directory.Path, FreePort.Next()))
        {
            await first.WaitUntilLiveAsync();
            await AssertAnswersAsync(first, "/readyz", HttpStatusCode.OK, "\"status\":\"Healthy\"");
            Assert.Equal(0, await first.StopAsync());
        }

        await using var second = SiloProcess.Start(directory.Path, FreePort.Next());
        await second.WaitUntilLiveAsync();
        await AssertAnswersAsync(second, "/readyz", HttpStatusCode.OK, "\"status\":\"Healthy\"");
        Assert.DoesNotContain(second.Lines, line => line.Contains("fail:", StringComparison.Ordinal));
        Assert.Equal(0, await second.StopAsync());
    }

    [Fact(Timeout = Bounded.TestMilliseconds)]
    public async Task NodeListensWhereAspNetCoreUrlsSays()
    {
        using var directory = new TempDirectory();
        await using var node = SiloProcess.Start(directory.Path, FreePort.Next(), urlsFromEnvironment: true);
        await node.WaitUntilLiveAsync();

        await AssertAnswersAsync(node, "/readyz", HttpStatusCode.OK, "\"status\":\"Healthy\"");
    }

    [Fact(Timeout = Bounded.TestMilliseconds)]
    public async Task NodeKeepsItsDataWhereTheConnectionStringFromTheEnvironmentSays()
    {
        using var directory = new TempDirectory();
        await using var node = SiloProcess.Start(directory.Path, FreePort.Next(), new Dictionary<string, string>
        {
            ["Cluster__Storage__Provider"] = "Sqlite",
            ["Cluster__Storage__ConnectionString"] = "Data Source=elsewhere/node.db",
        });
        await node.WaitUntilLiveAsync();

        await AssertAnswersAsync(node, "/readyz", HttpStatusCode.OK, "\"status\":\"Healthy\"");
        // The start-up log, not the anonymous /readyz, says where the data lives.
        Assert.EndsWith("elsewhere/node.db", LoggedDataFile().Match(node.Output).Groups["path"].Value, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(directory.Path, "elsewhere", "node.db")), "The node should create the file the connection string names.");
        Assert.False(Directory.Exists(Path.Combine(directory.Path, "data")), "The default data directory should stay unused.");
    }

    [Theory(Timeout = Bounded.TestMilliseconds)]
    [InlineData("Cluster__Storage__Provider", "Oracle", "Cluster:Storage:Provider")]
    [InlineData("Cluster__Runtime__MaxTurnAttempts", "0", "Cluster:Runtime:MaxTurnAttempts")]
    [InlineData("Cluster__Runtime__CallTimeout", "soon", "Cluster:Runtime:CallTimeout")]
    [InlineData("Messaging__PatientMessagesPerHour", "0", "Messaging:PatientMessagesPerHour")]
    [InlineData("Messaging__Routing__Billing", " ", "Messaging:Routing:Billing")]
    public async Task NodeWithABadSettingExitsWithOneLineNamingItAndNoStackTrace(string variable, string value, string setting)
    {
        using var directory = new TempDirectory();
        await using var node = SiloProcess.Start(directory.Path, FreePort.Next(), new Dictionary<string, string> { [variable] = value });

        Assert.Equal(2, await node.WaitForExitAsync());
        var reason = Assert.Single(node.Lines, line => line.Contains("Configuration error", StringComparison.Ordinal));
        Assert.Contains(setting, reason, StringComparison.Ordinal);
        Assert.DoesNotContain(node.Lines, line => line.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact(Timeout = Bounded.TestMilliseconds)]
    public async Task NodeOnPostgreSqlWithoutAConnectionStringRefusesToStart()
    {
        using var directory = new TempDirectory();
        await using var node = SiloProcess.Start(directory.Path, FreePort.Next(), new Dictionary<string, string>
        {
            ["Cluster__Storage__Provider"] = "PostgreSql",
            ["Cluster__Storage__ConnectionString"] = "",
        });

        Assert.Equal(2, await node.WaitForExitAsync());
        var reason = Assert.Single(node.Lines, line => line.Contains("Configuration error", StringComparison.Ordinal));
        Assert.Contains("Cluster:Storage:ConnectionString", reason, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(directory.Path, "data")), "A refused configuration should leave no data behind.");
    }

    [Fact(Timeout = Bounded.TestMilliseconds)]
    public async Task NodeWhoseStorageCannotBePreparedExitsWithOneLine()
    {
        using var directory = new TempDirectory();
        // A file where the data directory should be: SQLite cannot create its database under it.
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "data"), "not a directory");
        await using var node = SiloProcess.Start(directory.Path, FreePort.Next());

        Assert.Equal(1, await node.WaitForExitAsync());
        var reason = Assert.Single(node.Lines, line => line.Contains("Start-up failed", StringComparison.Ordinal));
        Assert.Contains("could not be prepared", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(node.Lines, line => line.Contains("   at ", StringComparison.Ordinal));
    }

    private static async Task AssertAnswersAsync(SiloProcess node, string path, HttpStatusCode status, string bodyContains)
    {
        using var response = await node.Http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{path} answered {(int)response.StatusCode}: {body}");
        Assert.Contains(bodyContains, body, StringComparison.Ordinal);
    }

    [GeneratedRegex("storage sqlite file (?<path>.+?), backplane")]
    private static partial Regex LoggedDataFile();
}
