using Cluster.Grains.Abstractions.Conversations;

namespace Cluster.Grains.Policies;

/// <summary>What a conversation start says: whose conversation it is, its topic, its subject and its first message.</summary>
public sealed record StartContent(string PatientId, Topic Topic, string Subject, string Body);
