namespace Cluster.LoadTests.Engine;

/// <summary>
/// One sampling interval: CPU in percent of one core (100 = one core busy) of the generator and of all server
/// processes together, and their resident memory at its end. <see cref="Second"/> counts from the sampler's start.
/// </summary>
public sealed record ResourceSample(double Second, double GeneratorCpuPercent, double ServerCpuPercent, long ServerRssBytes, long GeneratorRssBytes);

/// <summary>The samples summed up: mean and max CPU (100 = one core) of the generator and of the servers, peak memory, and the machine's cores.</summary>
public sealed record ResourceSummary(
    int Cores,
    double GeneratorCpuMean,
    double GeneratorCpuMax,
    double ServerCpuMean,
    double ServerCpuMax,
    long ServerRssMaxBytes,
    long GeneratorRssMaxBytes);
