using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Cluster.Api.Hosting;
using Cluster.Grains.Hosting;
using Cluster.Runtime.Hosting;
using Cluster.Silo.Tests.Fixtures;

namespace Cluster.Silo.Tests.Deployment;

/// <summary>
/// The deployment files cannot be run here (no Docker engine), so they are checked against the code: every
/// setting docker-compose sets must exist, and nginx must accept its configuration.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly Dictionary<string, Type> Sections = new(StringComparer.Ordinal)
    {
        ["Cluster"] = typeof(ClusterOptions),
        ["Auth"] = typeof(AuthOptions),
        ["Api"] = typeof(ApiOptions),
        ["Messaging"] = typeof(MessagingOptions),
    };

    [Fact]
    public void EverySettingTheComposeFileSetsExistsInTheNodesOptions()
    {
        var compose = File.ReadAllText(Path.Combine(RepositoryRoot(), "docker-compose.yml"));

        var settings = Setting().Matches(compose).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.Contains("Cluster__Storage__Provider", settings);
        Assert.Contains("Cluster__Backplane__Redis", settings);
        Assert.All(settings, setting => Assert.True(Binds(setting), $"{setting} names no option of the node."));
        Assert.Contains("Auth__DevTokens: \"false\"", compose, StringComparison.Ordinal);
    }

    [Fact(Timeout = Bounded.TestMilliseconds)]
    public async Task NginxAcceptsTheLoadBalancerConfiguration()
    {
        using var directory = new TempDirectory();
        var config = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "nginx.conf"));
        // The compose service names do not resolve here; nginx resolves upstreams when it checks the file.
        var local = Upstream().Replace(config, "server 127.0.0.1:$1");
        var path = Path.Combine(directory.Path, "nginx.conf");
        await File.WriteAllTextAsync(path, local);

        using var nginx = Process.Start(new ProcessStartInfo(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx", ["-t", "-p", directory.Path, "-c", path, "-g", $"pid {directory.Path}/nginx.pid; error_log stderr;"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var output = await nginx.StandardError.ReadToEndAsync();
        await nginx.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(nginx.ExitCode == 0, output);
        Assert.Contains("syntax is ok", output, StringComparison.Ordinal);
    }

    private static Type? ItemType(Type type) => type == typeof(string) ? null
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static bool Binds(string setting)
    {
        var parts = setting.Split("__");
        if (!Sections.TryGetValue(parts[0], out var type))
        {
            return false;
        }

        foreach (var part in parts.Skip(1))
        {
            // A list setting names its items by index (Api__AllowedHosts__0): step into the item type.
            if (part.All(char.IsAsciiDigit) && ItemType(type) is { } item)
            {
                type = item;
                continue;
            }

            var property = type.GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return false;
            }

            type = property.PropertyType;
        }

        return true;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cluster.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Cluster.sln) is not above the test's folder.");
    }

    [GeneratedRegex(@"^\s+((?:Cluster|Auth|Api|Messaging)__\w+):", RegexOptions.Multiline)]
    private static partial Regex Setting();

    [GeneratedRegex(@"server silo(\d):8080")]
    private static partial Regex Upstream();
}
