using Cluster.Runtime.Backplane;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Tests.Grains;
using Cluster.Testing.Nodes;

namespace Cluster.Runtime.Tests.Fixtures;

/// <summary>A test node hosting this project's test grains.</summary>
public static class RuntimeNode
{
    public static Task<TestNode> StartAsync(
        StorageProvider provider, string connectionString, IBackplane? backplane = null, TimeProvider? clock = null, IDictionary<string, string?>? settings = null) =>
        TestNode.StartAsync(provider, connectionString, backplane, clock, settings, grainAssemblies: typeof(CounterGrain).Assembly);
}
