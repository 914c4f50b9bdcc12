using Cluster.Api.Hosting;
using Cluster.Grains;
using Cluster.Grains.Hosting;
using Cluster.Runtime.Hosting;
using Cluster.Silo.Health;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Hosting;

/// <summary>Composes a node: its logging, the grain runtime with the domain grains, and its endpoints.</summary>
public static class ClusterNodeExtensions
{
    public static WebApplicationBuilder AddClusterNode(this WebApplicationBuilder builder)
    {
        builder.Logging.AddNodeConsole();
        builder.Services.AddClusterRuntime(builder.Configuration);
        builder.Services.AddGrainsFrom(GrainsAssembly.Assembly);
        builder.Services.AddMessagingRules(builder.Configuration);
        builder.Services.AddClusterApi(builder.Configuration);
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, EmbeddedOnlyDevTokens>();
        return builder;
    }

    public static WebApplication MapClusterNode(this WebApplication app)
    {
        app.MapClusterApi();
        app.MapHealthEndpoints();
        return app;
    }
}
