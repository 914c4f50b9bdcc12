using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Grains.Abstractions.Conversations;

/// <summary>
/// One conversation between a patient (and their proxies) and a care team. The top of the grain call graph:
/// it calls patient, clinician and care-team grains, none of which call it back. Every operation names its
/// actor and checks that the actor may take part; a conversation the actor may not see answers not_found.
/// </summary>
public interface IConversationGrain : IGrainWithStringKey
{
    Task<Outcome<ConversationStarted>> StartAsync(StartConversationRequest request);

    Task<Outcome<MessageSent>> SendAsync(SendMessageRequest request);

    Task<Outcome<ConversationView>> GetAsync(Actor actor);

    /// <summary>Everyone who receives this conversation's events now, if the actor may read it: for typing notices and delivery checks.</summary>
    Task<Outcome<IReadOnlyCollection<string>>> GetParticipantsAsync(Actor actor);

    /// <summary>Messages after <paramref name="after"/> (oldest first), or the last ones before <paramref name="before"/>.</summary>
    Task<Outcome<MessagePage>> GetMessagesAsync(Actor actor, long? after, long? before, int limit);

    Task<Outcome<ReadPosition>> MarkReadAsync(MarkReadRequest request);

    Task<Outcome<ConversationView>> CloseAsync(CloseRequest request);

    Task<Outcome<ConversationView>> ReopenAsync(Actor actor);

    Task<Outcome<ConversationView>> ClaimAsync(Actor actor);

    Task<Outcome<ConversationView>> ReleaseAsync(Actor actor);

    Task<Outcome<ConversationView>> TransferAsync(TransferRequest request);

    /// <summary>The patient marks the conversation private (hidden from proxies while they are 12 to 17).</summary>
    Task<Outcome<ConversationView>> SetPrivateAsync(Actor actor, bool isPrivate);
}
