using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Auditing;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rule 5: a retried send returns the original message and never stores or counts twice; a different message under
/// an id already used is refused (idempotency_conflict, or conversation_exists for a start), never taken for a retry.
/// </summary>
public sealed class IdempotentSendTests(Portal portal) : IClassFixture<Portal>
{
    [Fact]
    public async Task ARetriedSendReturnsTheOriginalSequenceAndStoresOneRow()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);
        var request = new SendMessageRequest(patient, "Is the pharmacy open on Sunday?", Portal.NewClientId());

        var first = (await portal.Conversation(id).SendAsync(request)).Unwrap();
        var retry = (await portal.Conversation(id).SendAsync(request)).Unwrap();

        Assert.False(first.Duplicate);
        Assert.True(retry.Duplicate);
        Assert.Equal(first.Message, retry.Message);
        Assert.Equal([1L, 2L], (await portal.StoredMessagesAsync(id)).Select(m => m.Sequence));
    }

    [Fact]
    public async Task RetriesDoNotUseRateSlots()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);

        for (var i = 0; i < 4; i++)
        {
            var request = new SendMessageRequest(patient, $"Question {i}", Portal.NewClientId());
            (await portal.Conversation(id).SendAsync(request)).Unwrap();
            (await portal.Conversation(id).SendAsync(request)).Unwrap();
        }

        Assert.Equal(5, (await portal.StoredMessagesAsync(id)).Count);
    }

    [Fact]
    public async Task ARetriedStartReturnsTheSameConversationAndFirstMessage()
    {
        var patient = await portal.NewPatientAsync();
        var id = Portal.NewConversationId();
        var request = new StartConversationRequest(patient, patient.UserId, Topic.Billing, "My bill", "Why was I charged twice?", Portal.NewClientId());

        var first = (await portal.Conversation(id).StartAsync(request)).Unwrap();
        var retry = (await portal.Conversation(id).StartAsync(request)).Unwrap();

        Assert.True(retry.Duplicate);
        Assert.Equal(first.Message, retry.Message);
        Assert.Single(await portal.StoredMessagesAsync(id));
        Assert.Single((await portal.Patient(patient).ListConversationsAsync(patient)).Unwrap());
    }

    [Fact]
    public async Task TheSameClientIdFromTwoSendersMakesTwoMessages()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient, topic: Topic.Appointment);
        var shared = Portal.NewClientId();

        await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "Tuesday works.", shared));
        await portal.Conversation(id).SendAsync(new SendMessageRequest(Portal.Clerk, "Booked for Tuesday.", shared));

        Assert.Equal(3, (await portal.StoredMessagesAsync(id)).Count);
    }

    [Theory]
    [InlineData(UserRole.Patient)]
    [InlineData(UserRole.Proxy)]
    [InlineData(UserRole.Clinician)]
    public async Task AChangedBodyUnderAUsedClientIdIsRefusedAsAConflictAndNothingIsStoredOrPushed(UserRole role)
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var sender = role switch
        {
            UserRole.Proxy => await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend),
            UserRole.Clinician => Portal.Doctor,
            _ => patient,
        };
        var (id, _) = await portal.StartAsync(patient);
        var clientId = Portal.NewClientId();
        var original = (await portal.Conversation(id).SendAsync(new SendMessageRequest(sender, "My dose is 5 mg.", clientId))).Unwrap();
        var pushes = await MessagePushesAsync(patient, id);

        var correction = await portal.Conversation(id).SendAsync(new SendMessageRequest(sender, "Correction: my dose is 50 mg.", clientId));

        Assert.Equal(ErrorCodes.IdempotencyConflict, correction.Problem?.Code);
        Assert.Contains("as a new message", correction.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(["My dose is 5 mg."], (await portal.StoredMessagesAsync(id)).Skip(1).Select(m => m.Body));
        Assert.Equal(pushes, await MessagePushesAsync(patient, id));
        var sends = (await portal.AuditAsync(id)).Where(a => a.ActorId == sender.UserId && a.Action == AuditActions.Send).Select(a => a.Outcome);
        Assert.Equal([AuditTrail.Ok, ErrorCodes.IdempotencyConflict], sends);

        // The refusal changed nothing: the exact retry still answers the original.
        var retry = (await portal.Conversation(id).SendAsync(new SendMessageRequest(sender, "My dose is 5 mg.", clientId))).Unwrap();
        Assert.True(retry.Duplicate);
        Assert.Equal(original.Message, retry.Message);
    }

    [Fact]
    public async Task AConflictingResendUsesNoRateSlot()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);
        var clientId = Portal.NewClientId();
        (await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "My dose is 5 mg.", clientId))).Unwrap();

        var conflict = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "Correction: my dose is 50 mg.", clientId));
        for (var i = 0; i < 3; i++)
        {
            await portal.SendAsync(id, patient, $"Question {i}");
        }

        Assert.Equal(ErrorCodes.IdempotencyConflict, conflict.Problem?.Code);
        Assert.Equal(5, (await portal.StoredMessagesAsync(id)).Count);
    }

    [Fact]
    public async Task AConflictingResendAtTheRateLimitIsAConflictAndAnExactRetryStillAnswersTheOriginal()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);
        var last = new SendMessageRequest(patient, "My dose is 5 mg.", Portal.NewClientId());
        for (var i = 0; i < 3; i++)
        {
            await portal.SendAsync(id, patient, $"Question {i}");
        }

        var original = (await portal.Conversation(id).SendAsync(last)).Unwrap();
        var limited = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "A new question.", Portal.NewClientId()));
        var conflict = await portal.Conversation(id).SendAsync(last with { Body = "Correction: my dose is 50 mg." });
        var retry = (await portal.Conversation(id).SendAsync(last)).Unwrap();

        Assert.Equal(ErrorCodes.RateLimited, limited.Problem?.Code);
        Assert.Equal(ErrorCodes.IdempotencyConflict, conflict.Problem?.Code);
        Assert.True(retry.Duplicate);
        Assert.Equal(original.Message, retry.Message);
    }

    [Fact]
    public async Task ARetryThatDiffersOnlyInSurroundingSpaceOrUnicodeCompositionIsTheSameMessage()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);
        var clientId = Portal.NewClientId();
        var original = (await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "Is caf\u00E9 au lait fine?", clientId))).Unwrap();

        // The same words, re-encoded by the client (e + combining acute accent) and with a trailing line break.
        var retry = (await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "  Is cafe\u0301 au lait fine?\n", clientId))).Unwrap();

        Assert.True(retry.Duplicate);
        Assert.Equal(original.Message, retry.Message);
        Assert.Equal(2, (await portal.StoredMessagesAsync(id)).Count);
    }

    [Fact]
    public async Task ThePatientAndTheirProxyUsingOneClientIdSendTwoMessagesEachCountedAgainstTheLimit()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var (id, _) = await portal.StartAsync(patient);
        var shared = Portal.NewClientId();
        var fromPatient = (await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "Is the clinic open on Monday?", shared))).Unwrap();
        var fromProxy = (await portal.Conversation(id).SendAsync(new SendMessageRequest(proxy, "I can drive her on Monday.", shared))).Unwrap();
        await portal.SendAsync(id, patient, "One more question.");
        await portal.SendAsync(id, patient, "And another.");

        // Five messages this hour: the start, the patient's, the proxy's and two more. Neither reuse of the id was a free pass.
        var sixth = await portal.Conversation(id).SendAsync(new SendMessageRequest(proxy, "Is parking free?", shared + "-2"));
        var proxyAgain = await portal.Conversation(id).SendAsync(new SendMessageRequest(proxy, "I can drive her on Monday.", shared));

        Assert.False(fromProxy.Duplicate);
        Assert.NotEqual(fromPatient.Message.Sequence, fromProxy.Message.Sequence);
        Assert.Equal(ErrorCodes.RateLimited, sixth.Problem?.Code);
        Assert.True(proxyAgain.Value?.Duplicate);
        Assert.Equal(5, (await portal.StoredMessagesAsync(id)).Count);
    }

    [Fact]
    public async Task AProxyReusingTheClientIdOfAPatientsMessageAtTheLimitIsRateLimited()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var (id, _) = await portal.StartAsync(patient);
        var shared = Portal.NewClientId();
        for (var i = 0; i < 3; i++)
        {
            await portal.SendAsync(id, patient, $"Question {i}");
        }

        (await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "Is the clinic open on Monday?", shared))).Unwrap();
        var fromProxy = await portal.Conversation(id).SendAsync(new SendMessageRequest(proxy, "I can drive her on Monday.", shared));

        Assert.Equal(ErrorCodes.RateLimited, fromProxy.Problem?.Code);
        Assert.Equal(5, (await portal.StoredMessagesAsync(id)).Count);
    }

    [Fact]
    public async Task AnAdmissionIsRepeatedAtTheLimitForItsOwnSenderOnly()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var id = Portal.NewConversationId();
        var at = portal.Clock.GetUtcNow();
        var admissions = new List<Admission>();
        for (var i = 0; i < 5; i++)
        {
            admissions.Add(await portal.Patient(patient).AdmitAsync(new AdmissionRequest(patient, id, $"m{i}", StartsConversation: false, ConversationPrivate: false, at)));
        }

        // A retry whose message was never stored (its conversation turn failed) is admitted again, though the limit is reached.
        var again = await portal.Patient(patient).AdmitAsync(new AdmissionRequest(patient, id, "m4", StartsConversation: false, ConversationPrivate: false, at));
        var byProxy = await portal.Patient(patient).AdmitAsync(new AdmissionRequest(proxy, id, "m4", StartsConversation: false, ConversationPrivate: false, at));

        Assert.All(admissions, a => Assert.True(a.Allowed, a.Problem?.Message));
        Assert.True(again.Allowed, again.Problem?.Message);
        Assert.Equal(ErrorCodes.RateLimited, byProxy.Problem?.Code);
    }

    [Theory]
    [InlineData(Topic.Appointment, "My bill", "Why was I charged twice?")]
    [InlineData(Topic.Billing, "My other bill", "Why was I charged twice?")]
    [InlineData(Topic.Billing, "My bill", "Why was I charged three times?")]
    public async Task ARepeatedStartWithADifferentTopicSubjectOrBodyIsConversationExistsAndChangesNothing(Topic topic, string subject, string body)
    {
        var patient = await portal.NewPatientAsync();
        var id = Portal.NewConversationId();
        var request = new StartConversationRequest(patient, patient.UserId, Topic.Billing, "My bill", "Why was I charged twice?", Portal.NewClientId());
        var first = (await portal.Conversation(id).StartAsync(request)).Unwrap();

        var repeated = await portal.Conversation(id).StartAsync(request with { Topic = topic, Subject = subject, Body = body });

        Assert.Equal(ErrorCodes.ConversationExists, repeated.Problem?.Code);
        Assert.Contains("new client message id", repeated.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(first.Message, Assert.Single(await portal.StoredMessagesAsync(id)));
        var now = (await portal.Conversation(id).GetAsync(patient)).Unwrap();
        Assert.Equal((Topic.Billing, "My bill", 1L, first.Conversation.LastActivityAt), (now.Topic, now.Subject, now.LastSequence, now.LastActivityAt));
        Assert.Single((await portal.Patient(patient).ListConversationsAsync(patient)).Unwrap());
    }

    [Fact]
    public async Task AProxyWhoseAccessEndedGetsTheRefusalNotTheConversationWhenRetryingTheirStart()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var id = Portal.NewConversationId();
        var request = new StartConversationRequest(proxy, patient.UserId, Topic.Billing, "My bill", "Is the March bill right?", Portal.NewClientId());
        (await portal.Conversation(id).StartAsync(request)).Unwrap();
        (await portal.Patient(patient).RevokeProxyAsync(patient, proxy.UserId)).Unwrap();

        var retry = await portal.Conversation(id).StartAsync(request);

        Assert.Equal(ErrorCodes.ProxyRevoked, retry.Problem?.Code);
    }

    [Fact]
    public async Task ARetriedStartThatDiffersOnlyInSurroundingSpaceOrUnicodeCompositionIsTheSameStart()
    {
        var patient = await portal.NewPatientAsync();
        var id = Portal.NewConversationId();
        var request = new StartConversationRequest(patient, patient.UserId, Topic.Billing, "Caf\u00E9 receipt", "Was the caf\u00E9 charge mine?", Portal.NewClientId());
        var first = (await portal.Conversation(id).StartAsync(request)).Unwrap();

        var retry = (await portal.Conversation(id).StartAsync(request with { Subject = " Cafe\u0301 receipt ", Body = "Was the cafe\u0301 charge mine?\n" })).Unwrap();

        Assert.True(retry.Duplicate);
        Assert.Equal(first.Message, retry.Message);
    }

    [Fact]
    public async Task AClosingMessageUnderAClientIdUsedForADifferentMessageIsAConflictAndTheConversationStaysOpen()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        var clientId = Portal.NewClientId();
        (await portal.Conversation(id).SendAsync(new SendMessageRequest(Portal.Doctor, "Take 5 mg each morning.", clientId))).Unwrap();

        var closing = await portal.Conversation(id).CloseAsync(new CloseRequest(Portal.Doctor, "I am closing this thread now.", clientId));

        Assert.Equal(ErrorCodes.IdempotencyConflict, closing.Problem?.Code);
        Assert.Equal(ConversationStatus.AwaitingPatient, (await portal.Conversation(id).GetAsync(patient)).Unwrap().Status);
        Assert.Equal(2, (await portal.StoredMessagesAsync(id)).Count);
    }

    [Fact]
    public async Task AClosingMessageRetriedAfterAReopenClosesAgainWithoutStoringItTwice()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        var close = new CloseRequest(Portal.Doctor, "I am closing this thread now.", Portal.NewClientId());
        (await portal.Conversation(id).CloseAsync(close)).Unwrap();
        (await portal.Conversation(id).ReopenAsync(Portal.Doctor)).Unwrap();

        var closed = (await portal.Conversation(id).CloseAsync(close)).Unwrap();

        Assert.Equal(ConversationStatus.Closed, closed.Status);
        Assert.Equal(2, (await portal.StoredMessagesAsync(id)).Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ARepeatedStartWithTheOtherPrivacyIsConversationExistsAndChangesNothing(bool firstPrivate)
    {
        var patient = await portal.NewPatientAsync();
        var id = Portal.NewConversationId();
        var request = new StartConversationRequest(patient, patient.UserId, Topic.Billing, "My bill", "Why was I charged twice?", Portal.NewClientId(), firstPrivate);
        (await portal.Conversation(id).StartAsync(request)).Unwrap();

        var repeated = await portal.Conversation(id).StartAsync(request with { Private = !firstPrivate });

        Assert.Equal(ErrorCodes.ConversationExists, repeated.Problem?.Code);
        Assert.Contains("privacy", repeated.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(firstPrivate, (await portal.Conversation(id).GetAsync(patient)).Unwrap().Private);
        Assert.Single(await portal.StoredMessagesAsync(id));
    }

    [Fact]
    public async Task ARetriedStartIsStillTheSameStartAfterThePatientChangedThePrivacy()
    {
        var patient = await portal.NewPatientAsync();
        var id = Portal.NewConversationId();
        var request = new StartConversationRequest(patient, patient.UserId, Topic.Billing, "My bill", "Why was I charged twice?", Portal.NewClientId());
        var first = (await portal.Conversation(id).StartAsync(request)).Unwrap();
        (await portal.Conversation(id).SetPrivateAsync(patient, true)).Unwrap();

        var retry = (await portal.Conversation(id).StartAsync(request)).Unwrap();

        Assert.True(retry.Duplicate);
        Assert.Equal(first.Message, retry.Message);
        Assert.True(retry.Conversation.Private);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ACloseRetriedAfterItSucceededAnswersTheClosedConversationAndStoresNothingMore(bool withClientId)
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        var close = new CloseRequest(Portal.Doctor, "I am closing this thread now.", withClientId ? Portal.NewClientId() : null);
        var closed = (await portal.Conversation(id).CloseAsync(close)).Unwrap();

        var retried = (await portal.Conversation(id).CloseAsync(close with { ClosingMessage = " I am closing this thread now.\n" })).Unwrap();

        Assert.Equal((ConversationStatus.Closed, closed.LastSequence, closed.LastActivityAt), (retried.Status, retried.LastSequence, retried.LastActivityAt));
        Assert.Equal(2, (await portal.StoredMessagesAsync(id)).Count);
    }

    [Fact]
    public async Task AChangedClosingMessageUnderTheClientIdOfTheCloseIsAConflictAfterTheCloseAndStoresNothing()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        var close = new CloseRequest(Portal.Doctor, "Take 5 mg each morning. Closing now.", Portal.NewClientId());
        (await portal.Conversation(id).CloseAsync(close)).Unwrap();
        var pushes = await MessagePushesAsync(patient, id);

        var changed = await portal.Conversation(id).CloseAsync(close with { ClosingMessage = "Correction: take 50 mg each morning. Closing now." });

        Assert.Equal(ErrorCodes.IdempotencyConflict, changed.Problem?.Code);
        Assert.Contains("as a new message", changed.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(["Take 5 mg each morning. Closing now."], (await portal.StoredMessagesAsync(id)).Skip(1).Select(m => m.Body));
        Assert.Equal(pushes, await MessagePushesAsync(patient, id));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ANewClosingMessageForAConversationAlreadyClosedIsConversationClosedAndStoresNothing(bool closedWithAMessage)
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        (await portal.Conversation(id).CloseAsync(new CloseRequest(Portal.Doctor, closedWithAMessage ? "Closing this thread." : null, null))).Unwrap();
        var stored = (await portal.StoredMessagesAsync(id)).Count;

        var late = await portal.Conversation(id).CloseAsync(new CloseRequest(Portal.Nurse, "Please book a follow-up in June.", Portal.NewClientId()));
        var lateWithoutId = await portal.Conversation(id).CloseAsync(new CloseRequest(Portal.Doctor, "Please book a follow-up in June.", null));

        Assert.Equal((ErrorCodes.ConversationClosed, ErrorCodes.ConversationClosed), (late.Problem?.Code, lateWithoutId.Problem?.Code));
        Assert.Contains("was not sent", late.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(stored, (await portal.StoredMessagesAsync(id)).Count);
    }

    [Fact]
    public async Task ClosingAClosedConversationWithoutAMessageAnswersItAsItIs()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        var closed = (await portal.Conversation(id).CloseAsync(new CloseRequest(Portal.Doctor, "Closing this thread.", null))).Unwrap();

        var again = (await portal.Conversation(id).CloseAsync(new CloseRequest(Portal.Nurse, null, null))).Unwrap();

        Assert.Equal((ConversationStatus.Closed, closed.LastSequence, closed.LastActivityAt), (again.Status, again.LastSequence, again.LastActivityAt));
    }

    private async Task<int> MessagePushesAsync(Actor patient, string id) =>
        (await portal.EventsAsync<MessageCreated>(patient.UserId)).Count(e => e.ConversationId == id)
        + (await portal.EventsAsync<MessageCreated>(Portal.Doctor.UserId)).Count(e => e.ConversationId == id);
}
