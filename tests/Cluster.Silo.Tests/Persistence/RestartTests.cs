using Cluster.Grains.Abstractions;
using Cluster.Runtime.Hosting;
using Cluster.Silo.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Silo.Tests.Persistence;

public sealed class RestartTests
{
    [Fact(Timeout = Bounded.TestMilliseconds)]
    public async Task GrainStateWrittenBeforeARestartIsReadBackFromDiskAfterIt()
    {
        using var directory = new TempDirectory();
        var key = "tally-" + Guid.NewGuid().ToString("N");

        await using (var first = StartSilo(directory))
        {
            var tally = first.Services.GetRequiredService<IGrainFactory>().GetGrain<ITallyGrain>(key);
            Assert.Equal(3, await tally.AddAsync(3).WaitAsync(Bounded.Call));
            Assert.Equal(5, await tally.AddAsync(2).WaitAsync(Bounded.Call));
        }

        // A new host has no activation in memory, so the total can only come from the database file.
        await using var second = StartSilo(directory);
        var reloaded = second.Services.GetRequiredService<IGrainFactory>().GetGrain<ITallyGrain>(key);
        Assert.Equal(5, await reloaded.AddAsync(0).WaitAsync(Bounded.Call));
    }

    private static SiloFactory StartSilo(TempDirectory directory) =>
        new(directory.SqliteConnectionString(), services => services.AddGrainsFrom(typeof(TallyGrain).Assembly));
}
