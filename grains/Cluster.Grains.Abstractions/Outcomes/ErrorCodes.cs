namespace Cluster.Grains.Abstractions.Outcomes;

/// <summary>
/// The stable error codes a client may branch on. The text that goes with each is for people;
/// the code is the contract.
/// </summary>
public static class ErrorCodes
{
    public const string NotFound = "not_found";
    public const string Forbidden = "forbidden";
    public const string InvalidRequest = "invalid_request";
    public const string TermsNotAccepted = "terms_not_accepted";
    public const string TermsVersionMismatch = "terms_version_mismatch";
    public const string MessageEmpty = "message_empty";
    public const string MessageTooLong = "message_too_long";
    public const string MessageInvalidCharacters = "message_invalid_characters";
    public const string SubjectEmpty = "subject_empty";
    public const string SubjectTooLong = "subject_too_long";
    public const string RateLimited = "rate_limited";
    public const string ConversationLimit = "conversation_limit";
    public const string ConversationClosed = "conversation_closed";
    public const string ConversationExists = "conversation_exists";
    public const string IdempotencyConflict = "idempotency_conflict";
    public const string ProxyScope = "proxy_scope";
    public const string ProxyRevoked = "proxy_revoked";
    public const string ProxyExpired = "proxy_expired";
    public const string ProxyPrivate = "proxy_private";
    public const string ProxyAgeEnded = "proxy_age_ended";
    public const string ProxyNotFound = "proxy_not_found";
    public const string ProxyLimit = "proxy_limit";
    public const string NotPoolMember = "not_pool_member";
    public const string AlreadyClaimed = "already_claimed";
    public const string NotAssigned = "not_assigned";
    public const string UnknownTopic = "unknown_topic";
    public const string Unavailable = "unavailable";
}
