using Cluster.LoadTests.Engine;

namespace Cluster.LoadTests.Tests.Engine;

/// <summary>CPU and memory sampling of the generator and the servers.</summary>
public sealed class ResourceSamplerTests
{
    [Fact]
    public async Task SamplesTheServersAndSkipsAProcessThatIsGone()
    {
        // This process stands in for a server; int.MaxValue is no process at all.
        await using var sampler = new ResourceSampler([Environment.ProcessId, int.MaxValue], TimeSpan.FromMilliseconds(50));
        sampler.Start();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (sampler.Samples.Count < 3)
            await Task.Delay(20, deadline.Token);
        await sampler.StopAsync();

        var samples = sampler.Samples;
        Assert.All(samples, sample => Assert.True(sample.GeneratorCpuPercent >= 0 && sample.ServerCpuPercent >= 0));
        Assert.Equal(samples.Select(sample => sample.Second).Order(), samples.Select(sample => sample.Second));
        var summary = sampler.Summary();
        Assert.Equal(Environment.ProcessorCount, summary.Cores);
        Assert.True(summary.GeneratorRssMaxBytes > 0);
        if (OperatingSystem.IsLinux())
            Assert.True(summary.ServerRssMaxBytes > 0, "the server's VmRSS was not read");
        Assert.Equal(samples.Count, sampler.Samples.Count);
    }

    [Fact]
    public void ASamplerWithoutSamplesSumsUpToZeros()
    {
        var summary = new ResourceSampler([]).Summary();

        Assert.Equal(new ResourceSummary(Environment.ProcessorCount, 0, 0, 0, 0, 0, 0), summary);
    }
}
