using System.Security.Cryptography;
using System.Text;

namespace Cluster.Api.Conversations;

/// <summary>
/// Conversation ids are derived from who started it, for which patient, and the client message id of its first
/// message: a retried start reaches the same conversation, and nobody can choose or guess another's id.
/// </summary>
public static class ConversationIds
{
    public static string For(string patientId, string starterId, string clientMessageId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{patientId}\n{starterId}\n{clientMessageId}"));
        return "c-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
