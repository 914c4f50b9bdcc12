using System.Text.Json;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Auditing;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rule 14: every send, read, close, reopen, claim, transfer, grant and revoke leaves an audit row (actor, action,
/// subject, when, outcome) written with the action itself; no row ever holds message text.
/// </summary>
public sealed class AuditTrailTests(Portal portal) : IClassFixture<Portal>
{
    [Fact]
    public async Task EverySendAppendsAnAuditRowStampedWithTheMessagesTime()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, started) = await portal.StartAsync(patient);
        await portal.AdvanceAsync(TimeSpan.FromMinutes(5));

        var question = await portal.SendAsync(id, patient, "Should I take it with food?");
        await portal.AdvanceAsync(TimeSpan.FromMinutes(5));
        var answer = await portal.SendAsync(id, Portal.Doctor, "Yes, with breakfast.");

        var rows = await portal.AuditAsync(id);
        AssertRow(rows, patient, AuditActions.Start, id, started.Message.CreatedAt);
        AssertRow(rows, patient, AuditActions.Send, id, question.Message.CreatedAt);
        AssertRow(rows, Portal.Doctor, AuditActions.Send, id, answer.Message.CreatedAt);
    }

    [Fact]
    public async Task ARefusedSendIsAuditedWithItsCode()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        (await portal.Conversation(id).CloseAsync(new CloseRequest(Portal.Doctor, null, null))).Unwrap();
        var at = portal.Clock.GetUtcNow();

        var refused = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "One more thing.", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.ConversationClosed, refused.Problem?.Code);
        AssertRow(await portal.AuditAsync(id), patient, AuditActions.Send, id, at, ErrorCodes.ConversationClosed);
    }

    [Fact]
    public async Task ReadingAppendsAnAuditRow()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        await portal.SendAsync(id, Portal.Doctor, "Your results are normal.");
        var at = portal.Clock.GetUtcNow();

        (await portal.Conversation(id).MarkReadAsync(new MarkReadRequest(patient, 2))).Unwrap();
        await portal.SendAsync(id, patient, "Thank you, that is a relief.");
        (await portal.Conversation(id).MarkReadAsync(new MarkReadRequest(Portal.Doctor, 3))).Unwrap();

        var rows = await portal.AuditAsync(id);
        AssertRow(rows, patient, AuditActions.Read, id, at);
        AssertRow(rows, Portal.Doctor, AuditActions.Read, id, at);
    }

    [Fact]
    public async Task ClosingAndReopeningAppendAuditRows()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        var closedAt = portal.Clock.GetUtcNow();

        (await portal.Conversation(id).CloseAsync(new CloseRequest(Portal.Doctor, "Closing this thread now.", Portal.NewClientId()))).Unwrap();
        await portal.AdvanceAsync(TimeSpan.FromHours(1));
        (await portal.Conversation(id).ReopenAsync(Portal.OtherDoctor)).Unwrap();

        var rows = await portal.AuditAsync(id);
        AssertRow(rows, Portal.Doctor, AuditActions.Send, id, closedAt);
        AssertRow(rows, Portal.Doctor, AuditActions.Close, id, closedAt);
        AssertRow(rows, Portal.OtherDoctor, AuditActions.Reopen, id, closedAt.AddHours(1));
    }

    [Fact]
    public async Task AnAutomaticCloseIsAuditedAsTheSystem()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);

        await portal.AdvanceAsync(TimeSpan.FromDays(31));

        var close = Assert.Single(await portal.AuditAsync(id), r => r.Action == AuditActions.Close);
        Assert.Equal(AuditTrail.Ok, close.Outcome);
        Assert.NotEqual(patient.UserId, close.ActorId);
        Assert.NotEqual(Portal.Doctor.UserId, close.ActorId);
    }

    [Fact]
    public async Task ClaimingReleasingAndTransferringAppendAuditRows()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient, topic: Topic.PrescriptionRenewal);
        var at = portal.Clock.GetUtcNow();

        (await portal.Conversation(id).ClaimAsync(Portal.Nurse)).Unwrap();
        (await portal.Conversation(id).ReleaseAsync(Portal.Nurse)).Unwrap();
        (await portal.Conversation(id).TransferAsync(new TransferRequest(Portal.SecondNurse, Portal.FrontDesk, null))).Unwrap();

        var rows = await portal.AuditAsync(id);
        AssertRow(rows, Portal.Nurse, AuditActions.Claim, id, at);
        AssertRow(rows, Portal.Nurse, AuditActions.Release, id, at);
        AssertRow(rows, Portal.SecondNurse, AuditActions.Transfer, id, at);
    }

    [Fact]
    public async Task GrantingAndRevokingProxyAccessAppendAuditRowsOnThePatient()
    {
        var patient = await portal.NewPatientAsync();
        var at = portal.Clock.GetUtcNow();

        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        (await portal.Patient(patient).RevokeProxyAsync(patient, proxy.UserId)).Unwrap();

        var rows = await portal.AuditAsync(patient.UserId);
        AssertRow(rows, patient, AuditActions.Grant, patient.UserId, at);
        AssertRow(rows, patient, AuditActions.Revoke, patient.UserId, at);
    }

    [Fact]
    public async Task MessageTextNeverAppearsInAuditRows()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var secrets = new[] { "Secret question about my zebra allergy", "Secret answer about the zebra", "Secret proxy note on zebras", "Secret goodbye from the zebra clinic", "Secret refused zebra reply" };
        var (id, _) = await portal.StartAsync(patient, body: secrets[0]);
        await portal.SendAsync(id, Portal.Doctor, secrets[1]);
        await portal.SendAsync(id, proxy, secrets[2]);
        (await portal.Conversation(id).MarkReadAsync(new MarkReadRequest(patient, 3))).Unwrap();
        (await portal.Conversation(id).CloseAsync(new CloseRequest(Portal.Doctor, secrets[3], Portal.NewClientId()))).Unwrap();
        await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, secrets[4], Portal.NewClientId()));
        await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, new string('z', 5000), Portal.NewClientId()));

        var rows = (await portal.AuditAsync(id)).Concat(await portal.AuditAsync(patient.UserId)).ToList();

        Assert.True(rows.Count >= 8, $"expected at least 8 audit rows, found {rows.Count}");
        var serialized = rows.Select(r => JsonSerializer.Serialize(r)).ToList();
        Assert.All(serialized, row =>
        {
            Assert.DoesNotContain("zebra", row, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("zzzzzzzz", row, StringComparison.Ordinal);
        });
    }

    private static void AssertRow(IEnumerable<AuditEntry> rows, Actor actor, string action, string subject, DateTimeOffset at, string outcome = AuditTrail.Ok) =>
        Assert.Contains(rows, r => r.ActorId == actor.UserId && r.ActorRole == actor.Role && r.Action == action && r.Subject == subject && r.At == at && r.Outcome == outcome);
}
