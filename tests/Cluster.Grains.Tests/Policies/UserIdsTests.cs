using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Grains.Tests.Policies;

public sealed class UserIdsTests
{
    [Theory]
    [InlineData("patient-alice")]
    [InlineData("dr.house")]
    [InlineData("carol_moreau@example.org")]
    [InlineData("A1")]
    [InlineData("x")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void IdsOfLettersDigitsAndAFewSeparatorsAreUserIds(string id) => Assert.True(UserIds.IsValid(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234")]
    [InlineData("patient\0alice")]
    [InlineData("patient-\u202Eecila")]
    [InlineData("patient-\u200Balice")]
    [InlineData("patient alice")]
    [InlineData("patiënt")]
    [InlineData("раtient")]
    [InlineData("patient/alice")]
    [InlineData("-alice")]
    [InlineData(".alice")]
    [InlineData("system")]
    public void AnythingElseIsNot(string? id) => Assert.False(UserIds.IsValid(id));

    [Fact]
    public void AVeryLongIdIsNotAUserId() => Assert.False(UserIds.IsValid(new string('a', 60_000)));

    [Fact]
    public void TheRefusalNamesTheFieldAndNeverEchoesTheId()
    {
        var problem = UserIds.Check("carol\u202Eevil", "proxyUserId");

        Assert.Equal(ErrorCodes.InvalidRequest, problem?.Code);
        Assert.StartsWith("proxyUserId must be a user id of 1 to 64 characters", problem!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("carol", problem.Message, StringComparison.Ordinal);
        Assert.Null(UserIds.Check("carol", "proxyUserId"));
    }
}
