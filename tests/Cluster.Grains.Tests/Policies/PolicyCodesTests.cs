using Cluster.Grains.Policies;

namespace Cluster.Grains.Tests.Policies;

public sealed class PolicyCodesTests
{
    // Clients branch on these strings; changing one is a breaking change.
    [Fact]
    public void CodesKeepTheirPublishedValues()
    {
        Assert.Equal("message_empty", PolicyCodes.MessageEmpty);
        Assert.Equal("message_too_long", PolicyCodes.MessageTooLong);
        Assert.Equal("message_invalid_characters", PolicyCodes.MessageInvalidCharacters);
        Assert.Equal("subject_empty", PolicyCodes.SubjectEmpty);
        Assert.Equal("subject_too_long", PolicyCodes.SubjectTooLong);
        Assert.Equal("rate_limited", PolicyCodes.RateLimited);
        Assert.Equal("conversation_limit", PolicyCodes.ConversationLimit);
        Assert.Equal("proxy_revoked", PolicyCodes.ProxyRevoked);
        Assert.Equal("proxy_expired", PolicyCodes.ProxyExpired);
        Assert.Equal("proxy_scope", PolicyCodes.ProxyScope);
        Assert.Equal("proxy_private", PolicyCodes.ProxyPrivate);
        Assert.Equal("proxy_age_ended", PolicyCodes.ProxyAgeEnded);
        Assert.Equal("idempotency_conflict", PolicyCodes.IdempotencyConflict);
        Assert.Equal("conversation_exists", PolicyCodes.ConversationExists);
    }

    [Fact]
    public void AViolationBecomesTheSameProblem()
    {
        var problem = new PolicyViolation("rate_limited", "Wait.", TimeSpan.FromMinutes(3)).ToProblem();

        Assert.Equal(("rate_limited", "Wait.", TimeSpan.FromMinutes(3)), (problem.Code, problem.Message, problem.RetryAfter));
    }
}
