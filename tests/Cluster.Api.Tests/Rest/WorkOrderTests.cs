using System.Net;
using Cluster.Api.Conversations;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Api.Tests.Rest;

/// <summary>A busy inbox and a busy pool queue over REST: urgent conversations first, then the earliest deadline.</summary>
public sealed class WorkOrderTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const int ConversationsPerPatient = 3;
    private readonly Organisation _org = new(factory);

    [Fact]
    public async Task AnUrgentConversationLeadsABusyPhysiciansInboxThoughItsDeadlineIsTheLatest()
    {
        var physicianId = await _org.ClinicianAsync();
        var physician = _org.ClientFor(physicianId, UserRole.Clinician);
        var routine = await StartManyAsync(109, physicianId);
        var (_, worried) = await _org.PatientWithTermsAsync(primaryClinicianId: physicianId);
        var urgent = await StartUrgentAsync(worried);

        var inbox = await physician.GetOkAsync<List<ConversationView>>("/api/v1/inbox");

        Assert.Equal(110, inbox.Count);
        Assert.Equal(urgent, inbox[0].Id);
        Assert.True(inbox[0].Urgent);
        Assert.Equal(routine.Order(), inbox.Skip(1).Select(c => c.Id).Order());
        var deadlines = inbox.Skip(1).Select(c => c.ResponseDeadline!.Value).ToList();
        Assert.Equal(deadlines.Order(), deadlines);
    }

    [Fact]
    public async Task AnUrgentConversationLeadsABusyPoolQueue()
    {
        var (teamId, clinicianId, _) = await _org.TeamOfTwoAsync();
        var clinician = _org.ClientFor(clinicianId, UserRole.Clinician);
        var routine = await StartManyAsync(14, clinicianId);
        var (_, worried) = await _org.PatientWithTermsAsync(primaryClinicianId: clinicianId);
        var urgent = await StartUrgentAsync(worried);
        foreach (var id in routine.Append(urgent))
        {
            await (await clinician.PostAsync($"/api/v1/conversations/{id}/transfer", new TransferBody(teamId, null))).ReadAsync<ConversationView>(HttpStatusCode.OK);
        }

        var queue = await clinician.GetOkAsync<List<QueueEntry>>($"/api/v1/care-teams/{teamId}/queue");

        Assert.Equal(15, queue.Count);
        Assert.Equal(urgent, queue[0].ConversationId);
        Assert.Equal(QueuePriority.Urgent, queue[0].Priority);
        var deadlines = queue.Skip(1).Select(e => e.Deadline!.Value).ToList();
        Assert.Equal(deadlines.Order(), deadlines);
    }

    private async Task<List<string>> StartManyAsync(int count, string clinicianId)
    {
        var ids = new List<string>();
        while (ids.Count < count)
        {
            var (_, patient) = await _org.PatientWithTermsAsync(primaryClinicianId: clinicianId);
            for (var i = 0; i < ConversationsPerPatient && ids.Count < count; i++)
            {
                ids.Add((await Organisation.StartAsync(patient)).ConversationId);
            }
        }

        return ids;
    }

    private static async Task<string> StartUrgentAsync(RestClient patient)
    {
        var started = await (await patient.PostAsync("/api/v1/conversations", new StartConversationBody(
            null, Topic.MedicalQuestion, "Feeling unwell", "My chest has been hurting since this morning.", Organisation.NewId("urgent"))))
            .ReadAsync<StartedConversation>(HttpStatusCode.Created);
        Assert.True(started.Started.Conversation.Urgent);
        return started.ConversationId;
    }
}
