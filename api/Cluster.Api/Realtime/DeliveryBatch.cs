using System.Text.Json;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Feed;
using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Api.Realtime;

/// <summary>
/// The delivery checks of one batch. Grain answers (may the user read this conversation, who is on this care team) are
/// kept for the batch's other events and forgotten with it; every event of the batch was committed before the batch
/// began, so a shared answer is never older than the event it lets through.
/// </summary>
public sealed class DeliveryBatch(IGrainFactory grains, Actor actor)
{
    private static readonly string InboxChangedType = nameof(InboxChanged);
    private static readonly string ConversationChangedType = nameof(ConversationChanged);

    private readonly Dictionary<string, bool> _mayRead = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _isMember = new(StringComparer.Ordinal);

    public async ValueTask<bool> MayReceiveAsync(FeedEvent entry)
    {
        var about = Read(entry);
        if (about.ConversationId is null)
        {
            return true;
        }

        if (entry.Type == InboxChangedType)
        {
            return actor.IsCareTeam;
        }

        return actor.IsCareTeam && about.TellsWhoLostIt && await HadItAsync(about)
            || await MayReadAsync(about.ConversationId);
    }

    private async ValueTask<bool> MayReadAsync(string conversationId)
    {
        if (!_mayRead.TryGetValue(conversationId, out var may))
        {
            may = (await grains.GetGrain<IConversationGrain>(conversationId).GetAsync(actor)).IsOk;
            _mayRead[conversationId] = may;
        }

        return may;
    }

    /// <summary>The user was the assignee or a member of the care team, before or after the change.</summary>
    private async ValueTask<bool> HadItAsync(About about)
    {
        if (actor.UserId == about.AssigneeBefore || actor.UserId == about.AssigneeAfter)
        {
            return true;
        }

        foreach (var team in new[] { about.TeamBefore, about.TeamAfter })
        {
            if (team is not null && await IsMemberAsync(team))
            {
                return true;
            }
        }

        return false;
    }

    private async ValueTask<bool> IsMemberAsync(string careTeamId)
    {
        if (!_isMember.TryGetValue(careTeamId, out var member))
        {
            member = (await grains.GetGrain<ICareTeamGrain>(careTeamId).GetInfoAsync()).Members.Contains(actor.UserId, StringComparer.Ordinal);
            _isMember[careTeamId] = member;
        }

        return member;
    }

    private static About Read(FeedEvent entry)
    {
        using var document = JsonDocument.Parse(entry.Payload);
        var root = document.RootElement;
        var id = Text(root, "conversationId");
        if (entry.Type != ConversationChangedType
            || Text(root, "change") is not (nameof(ConversationChange.Claimed) or nameof(ConversationChange.Transferred)))
        {
            return new About(id, TellsWhoLostIt: false, null, null, null, null);
        }

        // Events stored before "previous" existed name only the after side.
        var after = root.TryGetProperty("conversation", out var conversation) ? conversation : default;
        var before = root.TryGetProperty("previous", out var previous) ? previous : default;
        return new About(id, TellsWhoLostIt: true, Text(before, "careTeamId"), Text(before, "assignedClinicianId"),
            Text(after, "careTeamId"), Text(after, "assignedClinicianId"));
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private sealed record About(
        string? ConversationId, bool TellsWhoLostIt, string? TeamBefore, string? AssigneeBefore, string? TeamAfter, string? AssigneeAfter);
}
