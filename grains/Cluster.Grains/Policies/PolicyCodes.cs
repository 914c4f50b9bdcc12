using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Grains.Policies;

/// <summary>The stable codes the portal's policies refuse with; each equals its entry in the error catalogue.</summary>
public static class PolicyCodes
{
    // Aliases rather than new literals, so the catalogue stays the one place a code's value is written.
    public const string MessageEmpty = ErrorCodes.MessageEmpty;
    public const string MessageTooLong = ErrorCodes.MessageTooLong;
    public const string MessageInvalidCharacters = ErrorCodes.MessageInvalidCharacters;
    public const string SubjectEmpty = ErrorCodes.SubjectEmpty;
    public const string SubjectTooLong = ErrorCodes.SubjectTooLong;
    public const string RateLimited = ErrorCodes.RateLimited;
    public const string ConversationLimit = ErrorCodes.ConversationLimit;
    public const string ProxyRevoked = ErrorCodes.ProxyRevoked;
    public const string ProxyExpired = ErrorCodes.ProxyExpired;
    public const string ProxyScope = ErrorCodes.ProxyScope;
    public const string ProxyPrivate = ErrorCodes.ProxyPrivate;
    public const string ProxyAgeEnded = ErrorCodes.ProxyAgeEnded;
    public const string IdempotencyConflict = ErrorCodes.IdempotencyConflict;
    public const string ConversationExists = ErrorCodes.ConversationExists;
}
