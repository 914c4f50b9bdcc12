using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cluster.Silo.Tests.Fixtures;

/// <summary>The silo hosted in the test process, composed by its own Program, on a SQLite file the test chooses.</summary>
public sealed class SiloFactory(string sqliteConnectionString, Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<Program>
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private IHost? _host;

    public override async ValueTask DisposeAsync()
    {
        // Stop the node once, through its lifetime as SIGTERM does, and wait until it has stopped. Left to the factory,
        // the host would be stopped twice at once (by the factory and by Program's RunAsync, which then disposes it).
        if (_host is not null)
        {
            var lifetime = _host.Services.GetRequiredService<IHostApplicationLifetime>();
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStopped.Register(() => stopped.TrySetResult()))
            {
                lifetime.StopApplication();
                await stopped.Task.WaitAsync(StopTimeout);
            }
        }

        await base.DisposeAsync();
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        _host = base.CreateHost(builder);
        return _host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Added after the silo's own sources, so these win over appsettings.json and the environment.
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cluster:Storage:Provider"] = "Sqlite",
            ["Cluster:Storage:ConnectionString"] = sqliteConnectionString,
            ["Cluster:Backplane:Provider"] = "InProcess",
            // No demo organisation: these tests set up the care teams they need.
            ["Auth:DevTokens"] = "false",
            ["Auth:SigningKey"] = "silo-tests-signing-key-0123456789abcdef",
        }));
        builder.ConfigureTestServices(services => configureServices?.Invoke(services));
    }
}
