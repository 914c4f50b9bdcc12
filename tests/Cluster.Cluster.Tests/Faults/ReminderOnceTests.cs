using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cluster.Cluster.Tests.Fixtures;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Testing.Nodes;
using Xunit.Abstractions;

namespace Cluster.Cluster.Tests.Faults;

/// <summary>Two nodes, both polling the shared reminders table.</summary>
public sealed class TwoNodeCluster : ClusterFixture
{
    public override int NodeCount => 2;
}

/// <summary>Fault test 7: a response-deadline reminder that falls due while two nodes run fires exactly once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReminderOnceTests(TwoNodeCluster cluster, ITestOutputHelper output) : IClassFixture<TwoNodeCluster>
{
    // Business hours have minute precision and the deadline is the closing time of a business day that opens after the
    // message arrived, so the earliest possible deadline is the end of a one-minute day that starts at the next minute:
    // 60 to 120 s after the message. This test therefore takes longer than the others.
    private static readonly TimeSpan SetUpMargin = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan FireWithin = TimeSpan.FromSeconds(15);

    // After the escalation, both nodes go on polling (every second) for this long: a second firing would show.
    private static readonly TimeSpan Watch = TimeSpan.FromSeconds(3);

    [Fact(Timeout = 180_000)]
    public async Task A_response_deadline_due_while_two_nodes_run_fires_exactly_once()
    {
        await cluster.EnsureAllRunningAsync();
        var organisation = await cluster.SetUpOrganisationAsync(new OrganisationSpec { Patients = 1, Clinicians = 2 });
        var patient = organisation.Patients[0];
        var deadline = await OpenForOneMinuteSoonAsync(organisation);
        var conversation = await cluster.StartConversationAsync(patient, node: 0);
        var clinicians = new List<PortalClient>();
        try
        {
            var view = await cluster.SendCheckedAsync(0, patient, UserRole.Patient, HttpMethod.Get, $"/api/v1/conversations/{conversation}");
            Assert.Equal(deadline, view.GetProperty("responseDeadline").GetDateTimeOffset());
            // A second message through the other node, so that both nodes hold an activation of the conversation.
            await cluster.SendCheckedAsync(1, patient, UserRole.Patient, HttpMethod.Post, $"/api/v1/conversations/{conversation}/messages",
                new { body = "Adding the pharmacy's phone number.", clientMessageId = "second" }, System.Net.HttpStatusCode.Created);
            foreach (var clinician in organisation.Clinicians)
            {
                for (var node = 0; node < cluster.NodeCount; node++)
                {
                    clinicians.Add(await PortalClient.ConnectAsync(cluster, node, clinician, UserRole.Clinician, name: $"{clinician}@node{node}"));
                }
            }

            var etagBefore = await cluster.Database.ScalarAsync<long>(
                "SELECT etag FROM grain_state WHERE grain_type = 'conversation' AND grain_key = @k", ("k", conversation));
            Assert.Equal(1, await ReminderRowsAsync(conversation));
            var untilDue = deadline - DateTimeOffset.UtcNow;
            output.WriteLine($"deadline {deadline:HH:mm:ss} UTC, {untilDue.TotalSeconds:F0} s away; both nodes running: {string.Join(", ", cluster.RunningNodes)}");

            // Bounded polling until the escalation shows in the database.
            var clock = Stopwatch.StartNew();
            await Eventually.AssertAsync(async () => await EscalationsAsync(conversation) > 0, "the deadline escalates the conversation",
                untilDue + FireWithin);
            output.WriteLine($"escalated {(DateTimeOffset.UtcNow - deadline).TotalSeconds:F1} s after the deadline");
            Assert.Equal(2, cluster.RunningNodes.Count);

            // Observe for a while; both nodes keep polling the reminders table.
            await Task.Delay(Watch);

            Assert.Equal(1, await EscalationsAsync(conversation));
            Assert.Equal(1, await cluster.Database.ScalarAsync<long>(
                "SELECT count(*) FROM grain_rows WHERE collection = 'audit' AND partition_key = @k AND data::jsonb ->> 'action' = 'escalate'", ("k", conversation)));
            Assert.Equal(0, await ReminderRowsAsync(conversation));
            // One firing is one committed turn of the conversation: a second delivery would have committed again (it
            // removes its reminder in the same transaction), even though the escalation itself is idempotent.
            var etagAfter = await cluster.Database.ScalarAsync<long>(
                "SELECT etag FROM grain_state WHERE grain_type = 'conversation' AND grain_key = @k", ("k", conversation));
            Assert.Equal(etagBefore + 1, etagAfter);

            // Every device of the care team's members heard of it once.
            await Eventually.AssertAsync(() => clinicians.All(c => EscalatedEvents(c, conversation) >= 1), "every clinician device gets the escalation",
                TimeSpan.FromSeconds(10));
            foreach (var device in clinicians)
            {
                output.WriteLine(device.Describe());
                Assert.Equal(1, EscalatedEvents(device, conversation));
            }
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException(ex.Message + "\n" + cluster.Diagnostics(), ex);
        }
        finally
        {
            await Task.WhenAll(clinicians.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>
    /// Re-configures the organisation's care team to answer one day only, today, for one minute starting at the next whole
    /// minute at least <see cref="SetUpMargin"/> away, and a response time of one business day: a message that arrives now
    /// is due at the end of that minute. Answers the deadline.
    /// </summary>
    private async Task<DateTimeOffset> OpenForOneMinuteSoonAsync(Organisation organisation)
    {
        var now = DateTimeOffset.UtcNow;
        // Near midnight UTC the minute would cross into tomorrow; a zone two hours east keeps it inside one day.
        var (zone, offset) = now.TimeOfDay > new TimeSpan(23, 50, 0) ? ("Etc/GMT-2", TimeSpan.FromHours(2)) : ("UTC", TimeSpan.Zero);
        var local = now.ToOffset(offset);
        var open = new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, offset).AddMinutes(1);
        if (open - local < SetUpMargin)
        {
            open = open.AddMinutes(1);
        }

        var close = open.AddMinutes(1);
        var hours = $"{open:HH:mm}-{close:HH:mm}";
        await cluster.SendCheckedAsync(0, ClusterFixture.Admin, UserRole.Admin, HttpMethod.Put, $"/api/v1/admin/care-teams/{organisation.CareTeamId}", new
        {
            name = "Care team " + organisation.CareTeamId,
            members = organisation.Clinicians,
            hours = new { timeZoneId = zone, days = new Dictionary<string, string> { [open.DayOfWeek.ToString()] = hours } },
            holidays = Array.Empty<string>(),
            responseBusinessDays = 1,
        });
        return close;
    }

    private Task<long> ReminderRowsAsync(string conversation) =>
        cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM reminders WHERE grain_type = 'conversation' AND grain_key = @k AND name = 'response-deadline'", ("k", conversation));

    private Task<long> EscalationsAsync(string conversation) =>
        cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_events WHERE event_type = 'ConversationChanged' AND payload::jsonb ->> 'conversationId' = @k AND payload::jsonb ->> 'change' = 'Escalated'",
            ("k", conversation));

    private static int EscalatedEvents(PortalClient device, string conversation) =>
        device.Processed.Count(e => e.Type == "ConversationChanged"
            && e.Data.GetProperty("conversationId").GetString() == conversation
            && e.Data.GetProperty("change").GetString() == "Escalated");
}
