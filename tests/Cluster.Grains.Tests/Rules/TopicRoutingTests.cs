using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rule 2: a conversation's topic decides who answers. Clerical topics go to the pools that handle them, a medical
/// question to the patient's own clinician when they have one and otherwise to the clinical pool's queue.
/// </summary>
public sealed class TopicRoutingTests(Portal portal) : IClassFixture<Portal>
{
    [Fact]
    public async Task AMedicalQuestionGoesToThePatientsOwnClinicianNotToThePoolQueue()
    {
        var patient = await portal.NewPatientAsync(primaryClinicianId: Portal.Doctor.UserId);

        var (id, started) = await portal.StartAsync(patient, topic: Topic.MedicalQuestion);

        Assert.Equal(Portal.Clinical, started.Conversation.CareTeamId);
        Assert.Equal(Portal.Doctor.UserId, started.Conversation.AssignedClinicianId);
        Assert.Contains(id, (await portal.Clinician(Portal.Doctor).GetInboxAsync(Portal.Doctor)).Unwrap());
        Assert.DoesNotContain(id, await QueuedAsync(Portal.Clinical));
    }

    [Fact]
    public async Task TheOwnClinicianHasTheQuestionInTheirInboxOnlyWhileTheyOweAReply()
    {
        var patient = await portal.NewPatientAsync(primaryClinicianId: Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient, topic: Topic.MedicalQuestion);

        await portal.SendAsync(id, Portal.Doctor, "Take it with food.");
        var afterReply = (await portal.Clinician(Portal.Doctor).GetInboxAsync(Portal.Doctor)).Unwrap();
        await portal.SendAsync(id, patient, "Breakfast or dinner?");
        var afterFollowUp = (await portal.Clinician(Portal.Doctor).GetInboxAsync(Portal.Doctor)).Unwrap();

        Assert.DoesNotContain(id, afterReply);
        Assert.Contains(id, afterFollowUp);
        Assert.DoesNotContain(id, await QueuedAsync(Portal.Clinical));
    }

    [Fact]
    public async Task AMedicalQuestionFromAPatientWithoutAClinicianWaitsInTheClinicalPoolQueue()
    {
        var patient = await portal.NewPatientAsync();

        var (id, started) = await portal.StartAsync(patient, topic: Topic.MedicalQuestion);

        Assert.Equal(Portal.Clinical, started.Conversation.CareTeamId);
        Assert.Null(started.Conversation.AssignedClinicianId);
        Assert.Contains(id, await QueuedAsync(Portal.Clinical));
        foreach (var member in new[] { Portal.Doctor, Portal.OtherDoctor, Portal.Nurse })
        {
            Assert.DoesNotContain(id, (await portal.Clinician(member).GetInboxAsync(member)).Unwrap());
        }
    }

    [Fact]
    public async Task AMedicalQuestionAssignedToTheOwnClinicianReachesOnlyThemOnTheCareSide()
    {
        var patient = await portal.NewPatientAsync(primaryClinicianId: Portal.Doctor.UserId);

        var (id, _) = await portal.StartAsync(patient, topic: Topic.MedicalQuestion);

        Assert.Contains(await portal.EventsAsync<MessageCreated>(Portal.Doctor.UserId), e => e.ConversationId == id);
        Assert.DoesNotContain(await portal.EventsAsync<MessageCreated>(Portal.OtherDoctor.UserId), e => e.ConversationId == id);
        Assert.DoesNotContain(await portal.EventsAsync<MessageCreated>(Portal.Nurse.UserId), e => e.ConversationId == id);
    }

    [Fact]
    public async Task APrimaryClinicianWhoIsNotRegisteredLeavesTheQuestionInTheClinicalPool()
    {
        var patient = await portal.NewPatientAsync(primaryClinicianId: "dr-nobody-" + Guid.NewGuid().ToString("N")[..6]);

        var (id, started) = await portal.StartAsync(patient, topic: Topic.MedicalQuestion);

        Assert.Null(started.Conversation.AssignedClinicianId);
        Assert.Contains(id, await QueuedAsync(Portal.Clinical));
    }

    [Theory]
    [InlineData(Topic.Appointment, Portal.FrontDesk)]
    [InlineData(Topic.Billing, Portal.Billing)]
    [InlineData(Topic.PrescriptionRenewal, Portal.Nurses)]
    [InlineData(Topic.Other, Portal.FrontDesk)]
    [InlineData(Topic.TestResultQuestion, Portal.Clinical)]
    public async Task EachTopicWaitsInItsOwnPoolsQueueAndNoOther(Topic topic, string pool)
    {
        var patient = await portal.NewPatientAsync();

        var (id, started) = await portal.StartAsync(patient, topic: topic);

        Assert.Equal(pool, started.Conversation.CareTeamId);
        Assert.Null(started.Conversation.AssignedClinicianId);
        Assert.Contains(id, await QueuedAsync(pool));
        Assert.True((await portal.Conversation(id).GetAsync(Member(pool))).IsOk);
        foreach (var other in new[] { Portal.Clinical, Portal.Nurses, Portal.FrontDesk, Portal.Billing }.Where(p => p != pool))
        {
            Assert.DoesNotContain(id, await QueuedAsync(other));
        }
    }

    [Theory]
    [InlineData(Topic.Appointment, Portal.FrontDesk)]
    [InlineData(Topic.Billing, Portal.Billing)]
    [InlineData(Topic.PrescriptionRenewal, Portal.Nurses)]
    public async Task ClericalTopicsGoToTheirPoolEvenWhenThePatientHasAClinician(Topic topic, string pool)
    {
        var patient = await portal.NewPatientAsync(primaryClinicianId: Portal.Doctor.UserId);

        var (id, started) = await portal.StartAsync(patient, topic: topic);

        Assert.Equal(pool, started.Conversation.CareTeamId);
        Assert.Null(started.Conversation.AssignedClinicianId);
        Assert.Contains(id, await QueuedAsync(pool));
        Assert.DoesNotContain(id, (await portal.Clinician(Portal.Doctor).GetInboxAsync(Portal.Doctor)).Unwrap());
    }

    [Fact]
    public async Task ABillingQuestionIsVisibleToTheBillingPoolButNotToTheClinicians()
    {
        var patient = await portal.NewPatientAsync(primaryClinicianId: Portal.Doctor.UserId);

        var (id, _) = await portal.StartAsync(patient, topic: Topic.Billing, body: "Why was I charged twice for my visit?");

        Assert.True((await portal.Conversation(id).GetAsync(Portal.Clerk)).IsOk);
        Assert.Equal(ErrorCodes.NotFound, (await portal.Conversation(id).GetAsync(Portal.Doctor)).Problem?.Code);
        Assert.Equal(ErrorCodes.NotFound, (await portal.Conversation(id).GetAsync(Portal.Nurse)).Problem?.Code);
        Assert.Contains(await portal.EventsAsync<MessageCreated>(Portal.Clerk.UserId), e => e.ConversationId == id);
        Assert.DoesNotContain(await portal.EventsAsync<MessageCreated>(Portal.Doctor.UserId), e => e.ConversationId == id);
    }

    [Fact]
    public async Task APrescriptionRenewalReachesEveryNurseOfTheNursesPool()
    {
        var patient = await portal.NewPatientAsync();

        var (id, _) = await portal.StartAsync(patient, topic: Topic.PrescriptionRenewal, body: "Please renew my lisinopril.");

        foreach (var nurse in new[] { Portal.Nurse, Portal.SecondNurse })
        {
            Assert.Contains(await portal.EventsAsync<MessageCreated>(nurse.UserId), e => e.ConversationId == id);
            Assert.True((await portal.Conversation(id).GetAsync(nurse)).IsOk);
        }

        Assert.Equal(ErrorCodes.NotFound, (await portal.Conversation(id).GetAsync(Portal.Doctor)).Problem?.Code);
    }

    private async Task<IReadOnlyList<string>> QueuedAsync(string pool) =>
        (await portal.CareTeam(pool).GetQueueAsync(Portal.Admin)).Unwrap().Select(e => e.ConversationId).ToList();

    private static Actor Member(string pool) => pool switch
    {
        Portal.Nurses => Portal.SecondNurse,
        Portal.FrontDesk or Portal.Billing => Portal.Clerk,
        _ => Portal.Doctor,
    };
}
