using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Policies;

namespace Cluster.Grains.Tests.Policies;

public sealed class IdempotencyPolicyTests
{
    [Theory]
    [InlineData("My dose is 5 mg.", "My dose is 5 mg.")]
    [InlineData("My dose is 5 mg.", "  My dose is 5 mg.\n")]
    [InlineData("Caf\u00E9 au lait?", "Cafe\u0301 au lait?")]
    [InlineData("Cafe\u0301 au lait?", "Caf\u00E9 au lait?")]
    [InlineData("\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 all well", "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 all well")]
    public void TheSameWordsReencodedOrRetrimmedAreARetry(string stored, string resent) =>
        Assert.Null(IdempotencyPolicy.CheckResend(stored, resent));

    [Theory]
    [InlineData("My dose is 5 mg.", "Correction: my dose is 50 mg.")]
    [InlineData("My dose is 5 mg.", "my dose is 5 mg.")]
    [InlineData("My dose is 5 mg.", "My dose is 5  mg.")]
    [InlineData("My dose is 5 mg.", "My dose is 5 mg")]
    [InlineData("My dose is 5 mg.", "")]
    [InlineData("My dose is 5 mg.", null)]
    [InlineData("Take \uFF15 mg.", "Take 5 mg.")] // a full-width digit is another character: only canonical (NFC) forms are folded
    [InlineData("My dose is 5 mg.", "My dose is 5 mg.\uD800")]
    public void AnyOtherTextIsAConflictThatSaysToSendANewMessage(string stored, string? resent)
    {
        var violation = IdempotencyPolicy.CheckResend(stored, resent);

        Assert.Equal(PolicyCodes.IdempotencyConflict, violation?.Code);
        Assert.Contains("as a new message, with a new client message id", violation!.Message, StringComparison.Ordinal);
        Assert.Null(violation.RetryAfter);
    }

    [Fact]
    public void ARestartWithTheSameContentReencodedIsARetry()
    {
        var original = new StartContent("patient-1", Topic.Billing, "Caf\u00E9 bill", "Why twice?", Private: false);

        Assert.Null(IdempotencyPolicy.CheckRestart(original, original with { Subject = " Cafe\u0301 bill", Body = "Why twice?\r\n" }));
    }

    [Fact]
    public void ARestartWithAnotherPatientTopicSubjectBodyOrPrivacyIsConversationExists()
    {
        var original = new StartContent("patient-1", Topic.Billing, "My bill", "Why twice?", Private: false);
        StartContent[] others =
        [
            original with { PatientId = "patient-2" },
            original with { Topic = Topic.Appointment },
            original with { Subject = "My other bill" },
            original with { Body = "Why three times?" },
            original with { Private = true },
        ];

        Assert.All(others, other => Assert.Equal(PolicyCodes.ConversationExists, IdempotencyPolicy.CheckRestart(original, other)?.Code));
        Assert.Contains("new client message id", IdempotencyPolicy.CheckRestart(original, others[0])!.Message, StringComparison.Ordinal);
    }
}
