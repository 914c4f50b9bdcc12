using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Policies;

namespace Cluster.Grains.Tests.Policies;

public sealed class ProxyAccessPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly FifteenYearsOld = new(2011, 1, 1);
    private static readonly DateOnly ElevenYearsOld = new(2015, 1, 1);
    private static readonly DateOnly ThirtyYearsOld = new(1996, 1, 1);

    private static ProxyGrant Grant(ProxyScope scope = ProxyScope.ReadAndSend, DateTimeOffset? grantedAt = null,
        DateTimeOffset? expiresAt = null, DateTimeOffset? revokedAt = null) =>
        new("proxy-1", scope, grantedAt ?? Now.AddYears(-1), expiresAt, revokedAt);

    private static ProxyAccessDecision Decide(DateOnly dateOfBirth, ProxyGrant grant, bool isPrivate = false,
        ProxyAction action = ProxyAction.Read, DateTimeOffset? now = null) =>
        ProxyAccessPolicy.Decide(dateOfBirth, now ?? Now, grant, isPrivate, action);

    [Theory]
    [InlineData(ProxyAction.Read)]
    [InlineData(ProxyAction.Send)]
    public void AnActiveReadAndSendGrantMayReadAndSend(ProxyAction action)
    {
        var decision = Decide(ThirtyYearsOld, Grant(), action: action);

        Assert.True(decision.Allowed);
        Assert.Null(decision.ReasonCode);
    }

    [Fact]
    public void AReadGrantMayReadButNotSend()
    {
        Assert.True(Decide(ThirtyYearsOld, Grant(ProxyScope.Read)).Allowed);

        var decision = Decide(ThirtyYearsOld, Grant(ProxyScope.Read), action: ProxyAction.Send);

        Assert.False(decision.Allowed);
        Assert.Equal("proxy_scope", decision.ReasonCode);
    }

    [Theory]
    [InlineData(ProxyAction.Read)]
    [InlineData(ProxyAction.Send)]
    public void ARevokedGrantAllowsNothing(ProxyAction action)
    {
        Assert.Equal("proxy_revoked", Decide(ThirtyYearsOld, Grant(revokedAt: Now), action: action).ReasonCode);
    }

    [Fact]
    public void ARevocationDatedLaterHasNotTakenEffectYet()
    {
        Assert.True(Decide(ThirtyYearsOld, Grant(revokedAt: Now.AddDays(1))).Allowed);
    }

    [Theory]
    [InlineData(ProxyAction.Read)]
    [InlineData(ProxyAction.Send)]
    public void AnExpiredGrantAllowsNothing(ProxyAction action)
    {
        Assert.Equal("proxy_expired", Decide(ThirtyYearsOld, Grant(expiresAt: Now), action: action).ReasonCode);
        Assert.True(Decide(ThirtyYearsOld, Grant(expiresAt: Now.AddTicks(1)), action: action).Allowed);
    }

    [Fact]
    public void RevocationIsReportedBeforeAnyOtherReason()
    {
        var grant = Grant(ProxyScope.Read, expiresAt: Now.AddDays(-2), revokedAt: Now.AddDays(-1));

        Assert.Equal("proxy_revoked", Decide(FifteenYearsOld, grant, isPrivate: true, action: ProxyAction.Send).ReasonCode);
    }

    [Theory]
    [InlineData(ProxyAction.Read)]
    [InlineData(ProxyAction.Send)]
    public void ATeenagersPrivateConversationIsClosedToProxies(ProxyAction action)
    {
        var decision = Decide(FifteenYearsOld, Grant(), isPrivate: true, action: action);

        Assert.Equal("proxy_private", decision.ReasonCode);
        Assert.Contains("private", decision.Violation!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATeenagersOrdinaryConversationIsOpenToProxies()
    {
        Assert.True(Decide(FifteenYearsOld, Grant(), action: ProxyAction.Send).Allowed);
    }

    [Fact]
    public void PrivacyStartsOnTheTwelfthBirthday()
    {
        var dateOfBirth = new DateOnly(2014, 6, 15);

        Assert.True(Decide(dateOfBirth, Grant(), isPrivate: true, now: Now.AddDays(-1)).Allowed);
        Assert.Equal("proxy_private", Decide(dateOfBirth, Grant(), isPrivate: true).ReasonCode);
    }

    [Fact]
    public void AYoungChildsPrivateFlagDoesNotCloseTheConversationToParents()
    {
        Assert.True(Decide(ElevenYearsOld, Grant(), isPrivate: true).Allowed);
    }

    [Fact]
    public void AnAdultsPrivateConversationIsClosedToProxiesToo()
    {
        Assert.Equal("proxy_private", Decide(ThirtyYearsOld, Grant(), isPrivate: true).ReasonCode);
    }

    [Fact]
    public void AGrantMadeForAMinorEndsOnTheEighteenthBirthday()
    {
        var dateOfBirth = new DateOnly(2008, 6, 15);
        var grant = Grant(grantedAt: new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.True(Decide(dateOfBirth, grant, now: Now.AddDays(-1)).Allowed);
        var decision = Decide(dateOfBirth, grant);
        Assert.Equal("proxy_age_ended", decision.ReasonCode);
        Assert.Contains("turned 18", decision.Violation!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGrantMadeAtEighteenOrLaterIsUnaffectedByAge()
    {
        var dateOfBirth = new DateOnly(2008, 6, 15);
        var grant = Grant(grantedAt: new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.Zero));

        Assert.True(Decide(dateOfBirth, grant, now: Now.AddYears(5)).Allowed);
    }

    [Fact]
    public void AgeIsTakenOnTheUtcDate()
    {
        // 01:00 on 15 June in UTC+5 is still 14 June in UTC, the day before the 18th birthday.
        var dateOfBirth = new DateOnly(2008, 6, 15);
        var grant = Grant(grantedAt: new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.True(Decide(dateOfBirth, grant, now: new DateTimeOffset(2026, 6, 15, 1, 0, 0, TimeSpan.FromHours(5))).Allowed);
    }

    [Fact]
    public void TheAgeThresholdsCanBeChanged()
    {
        var twelveYearsOld = new DateOnly(2014, 1, 1);

        Assert.True(ProxyAccessPolicy.Decide(twelveYearsOld, Now, Grant(), true, ProxyAction.Read, privacyAge: 13).Allowed);
        Assert.Equal("proxy_age_ended", ProxyAccessPolicy.Decide(
            new DateOnly(2010, 1, 1), Now, Grant(grantedAt: Now.AddYears(-5)), false, ProxyAction.Read, adultAge: 16).ReasonCode);
    }

    [Theory]
    [InlineData("2000-06-15", "2026-06-14", 25)]
    [InlineData("2000-06-15", "2026-06-15", 26)]
    [InlineData("2008-02-29", "2026-02-28", 17)]
    [InlineData("2008-02-29", "2026-03-01", 18)]
    [InlineData("2008-02-29", "2028-02-29", 20)]
    [InlineData("2026-06-15", "2026-06-15", 0)]
    public void AgeCountsWholeYearsAndLeapDayBirthdaysComeOnTheFirstOfMarch(string dateOfBirth, string on, int age)
    {
        Assert.Equal(age, ProxyAccessPolicy.Age(DateOnly.Parse(dateOfBirth, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
