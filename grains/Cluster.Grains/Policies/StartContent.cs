using Cluster.Grains.Abstractions.Conversations;

namespace Cluster.Grains.Policies;

/// <summary>What a conversation start says: whose conversation it is, its topic, its subject, its first message and whether it is private.</summary>
public sealed record StartContent(string PatientId, Topic Topic, string Subject, string Body, bool Private);
