using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Silo.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Silo.Tests.Persistence;

/// <summary>The domain grains as the node composes them: its messaging rules, its storage, its restart.</summary>
public sealed class ConversationRestartTests
{
    private static readonly Actor Admin = new("admin", UserRole.Admin);
    private static readonly Actor Clerk = new("clerk", UserRole.Staff);

    [Fact(Timeout = Bounded.TestMilliseconds)]
    public async Task AConversationStartedOnTheNodeKeepsItsMessagesAndQueuePlaceAcrossARestart()
    {
        using var directory = new TempDirectory();
        var patient = new Actor("patient-" + Guid.NewGuid().ToString("N")[..8], UserRole.Patient);
        var id = "conv-" + Guid.NewGuid().ToString("N");

        await using (var first = new SiloFactory(directory.SqliteConnectionString()))
        {
            var grains = first.Services.GetRequiredService<IGrainFactory>();
            (await grains.GetGrain<ICareTeamGrain>("front-desk").ConfigureAsync(Admin,
                new CareTeamSettings("Front desk", [Clerk.UserId], BusinessHours.WeekdaysEightToFive("America/Chicago"), [])).WaitAsync(Bounded.Call)).Unwrap();
            var patients = grains.GetGrain<IPatientGrain>(patient.UserId);
            (await patients.RegisterAsync(Admin, new PatientProfile("Pat", new DateOnly(1970, 1, 1))).WaitAsync(Bounded.Call)).Unwrap();
            var terms = (await patients.GetTermsAsync(patient).WaitAsync(Bounded.Call)).Unwrap();
            (await patients.AcceptTermsAsync(patient, terms.CurrentVersion).WaitAsync(Bounded.Call)).Unwrap();
            (await grains.GetGrain<IConversationGrain>(id).StartAsync(new StartConversationRequest(
                patient, patient.UserId, Topic.Appointment, "Reschedule", "Can I come on Friday instead?", "c1")).WaitAsync(Bounded.Call)).Unwrap();
        }

        await using var second = new SiloFactory(directory.SqliteConnectionString());
        var reloaded = second.Services.GetRequiredService<IGrainFactory>();
        var page = (await reloaded.GetGrain<IConversationGrain>(id).GetMessagesAsync(Clerk, null, null, 10).WaitAsync(Bounded.Call)).Unwrap();
        var queue = (await reloaded.GetGrain<ICareTeamGrain>("front-desk").GetQueueAsync(Clerk).WaitAsync(Bounded.Call)).Unwrap();
        Assert.Equal("Can I come on Friday instead?", Assert.Single(page.Messages).Body);
        Assert.Equal(id, Assert.Single(queue).ConversationId);
    }
}
