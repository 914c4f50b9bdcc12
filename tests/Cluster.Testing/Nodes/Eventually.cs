using Xunit;

namespace Cluster.Testing.Nodes;

/// <summary>Polls a condition until it holds or the deadline passes; the only way tests wait for background work.</summary>
public static class Eventually
{
    public static async Task AssertAsync(Func<Task<bool>> condition, string because, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }

            await Task.Delay(20);
        }
    }

    public static Task AssertAsync(Func<bool> condition, string because, TimeSpan? within = null) =>
        AssertAsync(() => Task.FromResult(condition()), because, within);
}
