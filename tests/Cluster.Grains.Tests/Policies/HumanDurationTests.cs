using Cluster.Grains.Policies;

namespace Cluster.Grains.Tests.Policies;

public sealed class HumanDurationTests
{
    [Theory]
    [InlineData(0, "less than a minute")]
    [InlineData(1, "less than a minute")]
    [InlineData(59.9, "less than a minute")]
    [InlineData(60, "1 minute")]
    [InlineData(61, "2 minutes")]
    [InlineData(23 * 60, "23 minutes")]
    [InlineData((22 * 60) + 1, "23 minutes")]
    [InlineData(3600, "1 hour")]
    [InlineData(3660, "1 hour 1 minute")]
    [InlineData((2 * 3600) + (5 * 60), "2 hours 5 minutes")]
    [InlineData((23 * 3600) + (59 * 60) + 30, "24 hours")]
    public void AWaitIsWrittenInPlainWordsRoundedUpToTheMinute(double seconds, string expected)
    {
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
    }
}
