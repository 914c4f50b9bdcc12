using Cluster.Silo.Hosting;

try
{
    // Settings ship next to the binary, so they apply wherever the node is started; ./data follows the working directory.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddClusterNode();

    var app = builder.Build();
    app.MapClusterNode();

    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupFailure.IsExplained(ex))
{
    // A node that cannot start says why in one line; a stack trace would bury the reason.
    return StartupFailure.Report(ex, Console.Error);
}

/// <summary>The node's entry point, public so that in-process tests can host it.</summary>
public partial class Program;
