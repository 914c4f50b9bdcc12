using System.Net;
using Cluster.Api.Clinicians;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Clinicians;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Api.Tests.Rest;

/// <summary>A clinician's absence: set and cleared over REST, answered once per conversation, the conversation handed to the pool.</summary>
public sealed class OutOfOfficeTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Fact]
    public async Task WhileAwayPatientsGetTheAutoReplyAndTheConversationLeavesTheInbox()
    {
        var clinicianId = await _org.ClinicianAsync();
        var clinician = _org.ClientFor(clinicianId, UserRole.Clinician);
        var now = DateTimeOffset.UtcNow;
        var away = new OutOfOfficeBody(now.AddHours(-1), now.AddDays(7), "I am away this week; the Family Medicine team will answer you.");

        var view = await (await clinician.PutAsync("/api/v1/out-of-office", away)).ReadAsync<ClinicianView>(HttpStatusCode.OK);
        var (_, patient) = await _org.PatientWithTermsAsync(primaryClinicianId: clinicianId);
        var started = await Organisation.StartAsync(patient);

        Assert.Equal(away.AutoReply, view.OutOfOffice?.AutoReply);
        var reply = Assert.Single(started.Started.AutomaticReplies);
        Assert.Equal(away.AutoReply, reply.Body);
        Assert.Equal(clinicianId, reply.SenderId);
        Assert.True(reply.Flags.HasFlag(MessageFlags.Automatic));
        Assert.Null(started.Started.Conversation.AssignedClinicianId);
        Assert.Empty(await clinician.GetOkAsync<List<ConversationView>>("/api/v1/inbox"));
    }

    [Fact]
    public async Task ClearingTheAbsenceAnswersTheProfileWithoutIt()
    {
        var clinicianId = await _org.ClinicianAsync();
        var clinician = _org.ClientFor(clinicianId, UserRole.Clinician);
        var now = DateTimeOffset.UtcNow;
        await (await clinician.PutAsync("/api/v1/out-of-office", new OutOfOfficeBody(now, now.AddDays(1), "Back tomorrow."))).ReadAsync<ClinicianView>(HttpStatusCode.OK);

        var cleared = await (await clinician.DeleteAsync("/api/v1/out-of-office")).ReadAsync<ClinicianView>(HttpStatusCode.OK);
        var profile = await clinician.GetOkAsync<ClinicianView>($"/api/v1/clinicians/{clinicianId}");

        Assert.Null(cleared.OutOfOffice);
        Assert.Null(profile.OutOfOffice);
        Assert.Equal(clinicianId, profile.ClinicianId);
    }

    [Fact]
    public async Task AnAbsenceThatEndsBeforeItStartsIsRefused()
    {
        var clinician = _org.ClientFor(await _org.ClinicianAsync(), UserRole.Clinician);
        var now = DateTimeOffset.UtcNow;

        await (await clinician.PutAsync("/api/v1/out-of-office", new OutOfOfficeBody(now.AddDays(2), now.AddDays(1), "Away.")))
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        await (await clinician.PutAsync("/api/v1/out-of-office", new OutOfOfficeBody(now, now.AddDays(1), "  ")))
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
    }
}
