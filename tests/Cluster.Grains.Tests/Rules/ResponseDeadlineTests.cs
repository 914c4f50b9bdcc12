using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Auditing;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rule 8: a patient's message starts a reply deadline taken from the pool's business hours, time zone and holidays
/// (two business days, due at closing time). No care-team reply by then escalates the conversation; a reply clears
/// the deadline, and nothing escalates afterwards.
/// </summary>
/// <remarks>
/// The clock is shared by this class's tests and only moves forward, so every time here is computed from "now".
/// This class alone reconfigures the billing pool (see <see cref="HolidaysAndTheTimeZoneOfThePoolMoveTheDeadline"/>); no other test here uses it.
/// </remarks>
public sealed class ResponseDeadlineTests(Portal portal) : IClassFixture<Portal>
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById(Portal.TimeZone);
    private static readonly TimeZoneInfo LosAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
    private static readonly Actor[] ClinicalPool = [Portal.Doctor, Portal.OtherDoctor, Portal.Nurse];

    [Fact]
    public async Task AMessageWrittenOnSundayIsDueOnTuesdayAtFiveInNewYork()
    {
        var sunday = Next(DayOfWeek.Sunday, NewYork);
        await portal.AdvanceAsync(At(sunday, new TimeOnly(11, 30), NewYork) - portal.Clock.GetUtcNow());
        var patient = await portal.NewPatientAsync();

        var (id, started) = await portal.StartAsync(patient, topic: Topic.Appointment);

        var tuesdayAtFive = At(sunday.AddDays(2), new TimeOnly(17, 0), NewYork);
        Assert.Equal(tuesdayAtFive, started.ExpectedReplyBy);
        Assert.Equal(tuesdayAtFive, started.Conversation.ResponseDeadline);
        Assert.Equal(tuesdayAtFive, (await portal.CareTeam(Portal.FrontDesk).GetQueueAsync(Portal.Clerk)).Unwrap().Single(e => e.ConversationId == id).Deadline);
        var local = TimeZoneInfo.ConvertTime(started.ExpectedReplyBy!.Value, NewYork);
        Assert.Equal((DayOfWeek.Tuesday, 17, 0), (local.DayOfWeek, local.Hour, local.Minute));
    }

    [Fact]
    public async Task HolidaysAndTheTimeZoneOfThePoolMoveTheDeadline()
    {
        // Billing, for this test: Los Angeles, weekdays 09:00-18:00, and the coming Monday off.
        var friday = Next(DayOfWeek.Friday, LosAngeles);
        var holiday = friday.AddDays(3);
        var days = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .ToDictionary(d => d, _ => "09:00-18:00");
        (await portal.CareTeam(Portal.Billing).ConfigureAsync(Portal.Admin,
            new CareTeamSettings(Portal.Billing, [Portal.Clerk.UserId], new BusinessHours("America/Los_Angeles", days), [holiday]))).Unwrap();
        // Friday 18:30 in Los Angeles: after closing, so counting starts on the next business day, which is Tuesday.
        await portal.AdvanceAsync(At(friday, new TimeOnly(18, 30), LosAngeles) - portal.Clock.GetUtcNow());
        var patient = await portal.NewPatientAsync();

        var (_, started) = await portal.StartAsync(patient, topic: Topic.Billing, body: "Why was I charged twice?");

        Assert.Equal(At(friday.AddDays(5), new TimeOnly(18, 0), LosAngeles), started.ExpectedReplyBy);
    }

    [Fact]
    public async Task WithoutAReplyByTheDeadlineThePooledConversationIsEscalated()
    {
        var patient = await portal.NewPatientAsync();
        var (id, started) = await portal.StartAsync(patient);
        var deadline = started.ExpectedReplyBy!.Value;

        await portal.AdvanceAsync(deadline - TimeSpan.FromMinutes(1) - portal.Clock.GetUtcNow());

        Assert.False((await portal.Conversation(id).GetAsync(patient)).Unwrap().Escalated);
        Assert.Equal(QueuePriority.Normal, (await QueueEntryAsync(id)).Priority);
        Assert.Empty(await EscalationsAsync(Portal.Doctor, id));

        await portal.AdvanceAsync(TimeSpan.FromMinutes(1));

        var view = (await portal.Conversation(id).GetAsync(Portal.Doctor)).Unwrap();
        Assert.True(view.Escalated);
        Assert.Equal(ConversationStatus.AwaitingCareTeam, view.Status);
        Assert.Equal(QueuePriority.Escalated, (await QueueEntryAsync(id)).Priority);
        foreach (var member in ClinicalPool)
        {
            var changed = Assert.Single(await EscalationsAsync(member, id));
            Assert.True(changed.Conversation.Escalated);
        }

        Assert.Contains(await portal.AuditAsync(id), a => a.Action == AuditActions.Escalate);
    }

    [Fact]
    public async Task AnEscalatedConversationIsWorkedBeforeNormalOnes()
    {
        var patient = await portal.NewPatientAsync();
        var (id, started) = await portal.StartAsync(patient);
        await portal.AdvanceAsync(started.ExpectedReplyBy!.Value - portal.Clock.GetUtcNow());
        var newer = await portal.NewPatientAsync();
        var (newerId, _) = await portal.StartAsync(newer);

        var queue = (await portal.CareTeam(Portal.Clinical).GetQueueAsync(Portal.Nurse)).Unwrap().ToList();

        Assert.Equal(QueuePriority.Escalated, queue.Single(e => e.ConversationId == id).Priority);
        Assert.True(queue.FindIndex(e => e.ConversationId == id) < queue.FindIndex(e => e.ConversationId == newerId));
    }

    [Fact]
    public async Task AnOverdueConversationWithTheOwnClinicianIsEscalatedToThemAndThePool()
    {
        var patient = await portal.NewPatientAsync(primaryClinicianId: Portal.Doctor.UserId);
        var (id, started) = await portal.StartAsync(patient);

        await portal.AdvanceAsync(started.ExpectedReplyBy!.Value - portal.Clock.GetUtcNow());

        Assert.True((await portal.Conversation(id).GetAsync(Portal.Doctor)).Unwrap().Escalated);
        foreach (var member in ClinicalPool)
        {
            Assert.Single(await EscalationsAsync(member, id));
        }
    }

    [Fact]
    public async Task ACareTeamReplyClearsTheDeadlineAndNothingEscalatesAfterwards()
    {
        var patient = await portal.NewPatientAsync();
        var (id, started) = await portal.StartAsync(patient);
        var deadline = started.ExpectedReplyBy!.Value;
        portal.Clock.Advance(TimeSpan.FromHours(1));

        await portal.SendAsync(id, Portal.Nurse, "Please keep taking it as prescribed.");

        var view = (await portal.Conversation(id).GetAsync(patient)).Unwrap();
        Assert.Null(view.ResponseDeadline);
        Assert.Equal(ConversationStatus.AwaitingPatient, view.Status);
        Assert.DoesNotContain((await portal.CareTeam(Portal.Clinical).GetQueueAsync(Portal.Admin)).Unwrap(), e => e.ConversationId == id);

        await portal.AdvanceAsync(deadline + TimeSpan.FromDays(1) - portal.Clock.GetUtcNow());

        Assert.False((await portal.Conversation(id).GetAsync(patient)).Unwrap().Escalated);
        foreach (var member in ClinicalPool)
        {
            Assert.Empty(await EscalationsAsync(member, id));
        }

        Assert.DoesNotContain(await portal.AuditAsync(id), a => a.Action == AuditActions.Escalate);
    }

    [Fact]
    public async Task TheAutomaticEmergencyGuidanceIsNotACareTeamReplyAndTheDeadlineStillEscalates()
    {
        var patient = await portal.NewPatientAsync();

        var (id, started) = await portal.StartAsync(patient, body: "I have chest pain radiating to my arm");

        Assert.Single(started.AutomaticReplies);
        Assert.NotNull(started.Conversation.ResponseDeadline);
        Assert.Equal(ConversationStatus.AwaitingCareTeam, started.Conversation.Status);

        await portal.AdvanceAsync(started.ExpectedReplyBy!.Value - portal.Clock.GetUtcNow());

        Assert.True((await portal.Conversation(id).GetAsync(patient)).Unwrap().Escalated);
        Assert.Single(await EscalationsAsync(Portal.Nurse, id));
    }

    [Fact]
    public async Task AReplyToAnEscalatedConversationEndsTheEscalation()
    {
        var patient = await portal.NewPatientAsync();
        var (id, started) = await portal.StartAsync(patient);
        await portal.AdvanceAsync(started.ExpectedReplyBy!.Value - portal.Clock.GetUtcNow());
        Assert.True((await portal.Conversation(id).GetAsync(patient)).Unwrap().Escalated);

        await portal.SendAsync(id, Portal.OtherDoctor, "Sorry for the wait: yes, keep the same dose.");
        var replied = (await portal.Conversation(id).GetAsync(patient)).Unwrap();
        await portal.SendAsync(id, patient, "Thank you. And with food?");

        Assert.False(replied.Escalated);
        Assert.Null(replied.ResponseDeadline);
        var view = (await portal.Conversation(id).GetAsync(patient)).Unwrap();
        Assert.False(view.Escalated);
        Assert.True(view.ResponseDeadline > portal.Clock.GetUtcNow());
        Assert.Equal(QueuePriority.Normal, (await QueueEntryAsync(id)).Priority);
    }

    [Fact]
    public async Task AFollowUpBeforeAnyReplyKeepsTheFirstDeadline()
    {
        var patient = await portal.NewPatientAsync();
        var (id, started) = await portal.StartAsync(patient);
        portal.Clock.Advance(TimeSpan.FromHours(3));

        await portal.SendAsync(id, patient, "Any news?");

        Assert.Equal(started.ExpectedReplyBy, (await portal.Conversation(id).GetAsync(patient)).Unwrap().ResponseDeadline);
    }

    [Fact]
    public async Task APatientMessageAfterAReplyStartsANewDeadlineThatEscalatesInTurn()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);
        await portal.SendAsync(id, Portal.Doctor, "How are you feeling today?");
        var wednesday = Next(DayOfWeek.Wednesday, NewYork);
        await portal.AdvanceAsync(At(wednesday, new TimeOnly(10, 0), NewYork) - portal.Clock.GetUtcNow());

        await portal.SendAsync(id, patient, "Still dizzy in the mornings.");

        // Wednesday 10:00 is after opening, so Thursday is the first business day and Friday 17:00 the deadline.
        var friday = At(wednesday.AddDays(2), new TimeOnly(17, 0), NewYork);
        var view = (await portal.Conversation(id).GetAsync(patient)).Unwrap();
        Assert.Equal(friday, view.ResponseDeadline);
        Assert.False(view.Escalated);

        await portal.AdvanceAsync(friday - portal.Clock.GetUtcNow());

        Assert.True((await portal.Conversation(id).GetAsync(patient)).Unwrap().Escalated);
        Assert.Single(await EscalationsAsync(Portal.Doctor, id));
    }

    private async Task<QueueEntry> QueueEntryAsync(string id) =>
        (await portal.CareTeam(Portal.Clinical).GetQueueAsync(Portal.Admin)).Unwrap().Single(e => e.ConversationId == id);

    private async Task<IReadOnlyList<ConversationChanged>> EscalationsAsync(Actor member, string id) =>
        (await portal.EventsAsync<ConversationChanged>(member.UserId)).Where(e => e.ConversationId == id && e.Change == ConversationChange.Escalated).ToList();

    /// <summary>The first <paramref name="day"/> strictly after today's date in <paramref name="zone"/>.</summary>
    private DateOnly Next(DayOfWeek day, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(portal.Clock.GetUtcNow(), zone).DateTime);
        var ahead = ((int)day - (int)today.DayOfWeek + 7) % 7;
        return today.AddDays(ahead == 0 ? 7 : ahead);
    }

    /// <summary>The instant a wall clock in <paramref name="zone"/> shows <paramref name="time"/> on <paramref name="date"/>.</summary>
    private static DateTimeOffset At(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
