using Cluster.Grains.Policies;

namespace Cluster.Grains.Tests.Policies;

public sealed class RateLimitPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset[] MinutesAgo(params int[] minutes) => [.. minutes.Select(m => Now.AddMinutes(-m))];

    private static RateLimitEvent[] Own(params int[] minutesAgo) => [.. MinutesAgo(minutesAgo).Select(at => new RateLimitEvent(at, ByActor: true))];

    private static RateLimitEvent[] Others(params int[] minutesAgo) => [.. MinutesAgo(minutesAgo).Select(at => new RateLimitEvent(at, ByActor: false))];

    [Fact]
    public void AnEmptyHistoryIsAllowed()
    {
        Assert.Null(RateLimitPolicy.Evaluate([], Now, RateLimitSet.PatientMessages));
    }

    [Fact]
    public void FourMessagesInTheLastHourAllowAFifth()
    {
        Assert.Null(RateLimitPolicy.Evaluate(MinutesAgo(40, 30, 20, 10), Now, RateLimitSet.PatientMessages));
    }

    [Fact]
    public void FiveMessagesInTheLastHourRefuseASixthUntilTheOldestLeavesTheWindow()
    {
        var violation = RateLimitPolicy.Evaluate(MinutesAgo(37, 30, 20, 10, 5), Now, RateLimitSet.PatientMessages);

        Assert.Equal("rate_limited", violation?.Code);
        Assert.Equal(TimeSpan.FromMinutes(23), violation!.RetryAfter);
        Assert.Equal(
            "You have sent 5 messages in the last hour, the most allowed. You can send your next message in 23 minutes. "
            + "If this is urgent, call your care team; in an emergency call 911.",
            violation.Message);
    }

    [Fact]
    public void AProxyIsToldTheLimitIsSharedWithThePatientInsteadOfThatTheySentTheMessages()
    {
        var violation = RateLimitPolicy.Evaluate(MinutesAgo(37, 30, 20, 10, 5), Now, RateLimitSet.PatientMessages, RateLimitVoice.ProxyForPatient);

        Assert.Equal(
            "Together, this patient and those acting for them have sent 5 messages in the last hour, the most allowed. "
            + "You can send your next message in 23 minutes. If this is urgent, call your care team; in an emergency call 911.",
            violation?.Message);
    }

    [Fact]
    public void APatientWithProxiesIsToldTheLimitIncludesTheirProxiesMessages()
    {
        var violation = RateLimitPolicy.Evaluate(MinutesAgo(37, 30, 20, 10, 5), Now, RateLimitSet.PatientConversationStarts with
        {
            Limits = [new(5, TimeSpan.FromDays(1), "new conversations in the last 24 hours")],
        }, RateLimitVoice.PatientWithProxies);

        Assert.StartsWith("Together, you and those acting for you have started 5 new conversations in the last 24 hours, the most allowed.", violation?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RateLimitVoice.PatientWithProxies)]
    [InlineData(RateLimitVoice.ProxyForPatient)]
    public void ASenderWhoseOwnMessagesFillTheWindowIsToldTheySentThemWhateverOthersSentBefore(RateLimitVoice shared)
    {
        // Another sender's messages from earlier in the day are outside the full window (the hour).
        var history = Own(37, 30, 20, 10, 5).Concat(Others(300, 200));

        var violation = RateLimitPolicy.Evaluate(history, Now, RateLimitSet.PatientMessages, shared);

        Assert.StartsWith("You have sent 5 messages in the last hour, the most allowed.", violation?.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(23), violation!.RetryAfter);
    }

    [Theory]
    [InlineData(RateLimitVoice.PatientWithProxies, "Together, you and those acting for you have sent 5 messages in the last hour")]
    [InlineData(RateLimitVoice.ProxyForPatient, "Together, this patient and those acting for them have sent 5 messages in the last hour")]
    public void ASenderWhoseWindowHoldsSomeoneElsesMessageIsToldTheLimitIsShared(RateLimitVoice shared, string opening)
    {
        var history = Own(37, 30, 10, 5).Concat(Others(20));

        var violation = RateLimitPolicy.Evaluate(history, Now, RateLimitSet.PatientMessages, shared);

        Assert.StartsWith(opening, violation?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASenderWhoSentNothingInTheWindowIsNeverToldTheySentIt()
    {
        var violation = RateLimitPolicy.Evaluate(Others(37, 30, 20, 10, 5), Now, RateLimitSet.PatientMessages, RateLimitVoice.ProxyForPatient);

        Assert.StartsWith("Together, this patient and those acting for them have sent 5 messages", violation?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhoSentThemDoesNotChangeTheDecisionOrTheWait()
    {
        var own = RateLimitPolicy.Evaluate(Own(37, 30, 20, 10, 5), Now, RateLimitSet.PatientMessages, RateLimitVoice.PatientWithProxies);
        var mixed = RateLimitPolicy.Evaluate(Own(37, 20, 5).Concat(Others(30, 10)), Now, RateLimitSet.PatientMessages, RateLimitVoice.PatientWithProxies);

        Assert.Equal((own?.Code, own?.RetryAfter), (mixed?.Code, mixed?.RetryAfter));
        Assert.Null(RateLimitPolicy.Evaluate(Own(37, 20).Concat(Others(30, 10)), Now, RateLimitSet.PatientMessages, RateLimitVoice.PatientWithProxies));
    }

    [Fact]
    public void AMessageExactlyOneWindowAgoNoLongerCounts()
    {
        Assert.Null(RateLimitPolicy.Evaluate(MinutesAgo(60, 30, 20, 10, 5), Now, RateLimitSet.PatientMessages));
    }

    [Fact]
    public void TheOrderOfTheHistoryDoesNotMatter()
    {
        var violation = RateLimitPolicy.Evaluate(MinutesAgo(5, 37, 10, 30, 20), Now, RateLimitSet.PatientMessages);

        Assert.Equal(TimeSpan.FromMinutes(23), violation?.RetryAfter);
    }

    [Fact]
    public void TheWaitIsLongEnoughForEveryWindowToHaveRoom()
    {
        // 16 messages 23 hours ago fill the day with the 4 sent in the last hour; the hour alone would allow a fifth.
        var history = Enumerable.Repeat(Now.AddHours(-23), 16).Concat(MinutesAgo(40, 30, 20, 10));

        var violation = RateLimitPolicy.Evaluate(history, Now, RateLimitSet.PatientMessages);

        Assert.Equal(TimeSpan.FromHours(1), violation?.RetryAfter);
        Assert.StartsWith("You have sent 20 messages in the last 24 hours, the most allowed. You can send your next message in 1 hour.",
            violation!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenSeveralWindowsAreFullTheLongestWaitWins()
    {
        var history = Enumerable.Repeat(Now.AddHours(-22), 15).Concat(MinutesAgo(50, 40, 30, 20, 10));

        var violation = RateLimitPolicy.Evaluate(history, Now, RateLimitSet.PatientMessages);

        Assert.Equal(TimeSpan.FromHours(2), violation?.RetryAfter);
    }

    [Fact]
    public void RetryAfterIsTheShortestWaitThatWorks()
    {
        var history = Enumerable.Repeat(Now.AddHours(-22.5), 15).Concat(MinutesAgo(50, 40, 30, 20, 10)).ToArray();
        var retryAfter = RateLimitPolicy.Evaluate(history, Now, RateLimitSet.PatientMessages)!.RetryAfter!.Value;

        Assert.NotNull(RateLimitPolicy.Evaluate(history, Now + retryAfter - TimeSpan.FromTicks(1), RateLimitSet.PatientMessages));
        Assert.Null(RateLimitPolicy.Evaluate(history, Now + retryAfter, RateLimitSet.PatientMessages));
    }

    [Fact]
    public void TimestampsSlightlyAheadOfTheClockStillCount()
    {
        var history = MinutesAgo(30, 20, 10, 5).Append(Now.AddSeconds(2));

        Assert.NotNull(RateLimitPolicy.Evaluate(history, Now, RateLimitSet.PatientMessages));
    }

    [Fact]
    public void AFourthConversationInADayIsRefusedWithTheConversationLimitCode()
    {
        var violation = RateLimitPolicy.Evaluate(MinutesAgo(300, 200, 100), Now, RateLimitSet.PatientConversationStarts);

        Assert.Equal("conversation_limit", violation?.Code);
        Assert.Equal(TimeSpan.FromHours(19), violation!.RetryAfter);
        Assert.StartsWith("You have started 3 new conversations in the last 24 hours, the most allowed. "
            + "You can start a new conversation in 19 hours.", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StaffMaySendSixtyMessagesAMinute()
    {
        var fiftyNine = Enumerable.Range(1, 59).Select(i => Now.AddMilliseconds(-i * 500));
        var sixty = fiftyNine.Append(Now.AddSeconds(-40));

        Assert.Null(RateLimitPolicy.Evaluate(fiftyNine, Now, RateLimitSet.StaffMessages));
        var violation = RateLimitPolicy.Evaluate(sixty, Now, RateLimitSet.StaffMessages);
        Assert.Equal("rate_limited", violation?.Code);
        Assert.Equal(
            "You have sent 60 messages in the last minute, the most allowed. You can send your next message in less than a minute.",
            violation!.Message);
    }

    [Fact]
    public void APlainListOfLimitsUsesTheGeneralCode()
    {
        IReadOnlyList<RateLimit> limits = [new(1, TimeSpan.FromMinutes(10), "messages in the last 10 minutes")];

        var violation = RateLimitPolicy.Evaluate(MinutesAgo(4), Now, limits);

        Assert.Equal("rate_limited", violation?.Code);
        Assert.Equal(TimeSpan.FromMinutes(6), violation!.RetryAfter);
    }

    [Fact]
    public void PruneKeepsOnlyTimestampsInsideTheLongestWindowOldestFirst()
    {
        var history = new[] { Now.AddMinutes(-5), Now.AddDays(-2), Now.AddDays(-1), Now.AddHours(-23) };

        var kept = RateLimitPolicy.Prune(history, Now, RateLimitSet.PatientMessages);

        Assert.Equal([Now.AddHours(-23), Now.AddMinutes(-5)], kept);
        Assert.Equal(TimeSpan.FromDays(1), RateLimitSet.PatientMessages.LongestWindow);
    }

    [Fact]
    public void PruningDoesNotChangeTheDecision()
    {
        var history = Enumerable.Range(0, 60).Select(i => Now.AddHours(-i * 0.5)).ToArray();

        Assert.Equal(
            RateLimitPolicy.Evaluate(history, Now, RateLimitSet.PatientMessages),
            RateLimitPolicy.Evaluate(RateLimitPolicy.Prune(history, Now, RateLimitSet.PatientMessages), Now, RateLimitSet.PatientMessages));
    }

    [Fact]
    public void ALimitMustAllowAtLeastOneEventInAPositiveWindow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimit(0, TimeSpan.FromHours(1), "messages in the last hour"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimit(5, TimeSpan.Zero, "messages"));
    }
}
