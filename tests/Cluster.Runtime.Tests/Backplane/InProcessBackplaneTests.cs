using Cluster.Runtime.Backplane;

namespace Cluster.Runtime.Tests.Backplane;

public sealed class InProcessBackplaneTests : BackplaneConformanceTests
{
    protected override IBackplane CreateBackplane() => new InProcessBackplane();
}
