using System.Text.Json;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Clinicians;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Abstractions.Proxies;
using Cluster.Grains.Conversations;
using Cluster.Grains.Hosting;
using Cluster.Runtime.Activation;
using Cluster.Runtime.Backplane;
using Cluster.Runtime.Hosting;
using Cluster.Storage;
using Cluster.Testing.Nodes;

namespace Cluster.Grains.Tests.Fixtures;

/// <summary>
/// What every portal node needs, whatever its store: the portal's grains and messaging rules, and the care teams
/// and clinicians of <see cref="Portal"/>. <see cref="Portal"/> uses it over SQLite; multi-node tests over PostgreSQL.
/// </summary>
public static class PortalSetup
{
    /// <summary>A node hosting the portal's grains with the "Messaging" rules (defaults unless <paramref name="settings"/> override them).</summary>
    public static Task<TestNode> StartNodeAsync(
        StorageProvider provider, string connectionString, TimeProvider clock, IDictionary<string, string?>? settings = null, IBackplane? backplane = null) =>
        TestNode.StartAsync(provider, connectionString, backplane, clock, settings,
            configure: (services, configuration) => services.AddMessagingRules(configuration),
            grainAssemblies: typeof(ConversationGrain).Assembly);

    /// <summary>
    /// The four pools (clinical, nurses, front desk, billing; weekdays 08:00-17:00 New York, no holidays) and the
    /// clinicians and staff of <see cref="Portal"/>. Run once per store.
    /// </summary>
    public static async Task SeedAsync(IGrainFactory grains)
    {
        await ConfigureTeamAsync(grains, Portal.Clinical, Portal.Doctor, Portal.OtherDoctor, Portal.Nurse);
        await ConfigureTeamAsync(grains, Portal.Nurses, Portal.Nurse, Portal.SecondNurse);
        await ConfigureTeamAsync(grains, Portal.FrontDesk, Portal.Clerk);
        await ConfigureTeamAsync(grains, Portal.Billing, Portal.Clerk);
        await RegisterClinicianAsync(grains, Portal.Doctor, ClinicalRole.Physician, Portal.Clinical);
        await RegisterClinicianAsync(grains, Portal.OtherDoctor, ClinicalRole.Physician, Portal.Clinical);
        await RegisterClinicianAsync(grains, Portal.Nurse, ClinicalRole.Nurse, Portal.Clinical, Portal.Nurses);
        await RegisterClinicianAsync(grains, Portal.SecondNurse, ClinicalRole.Nurse, Portal.Nurses);
        await RegisterClinicianAsync(grains, Portal.Clerk, ClinicalRole.Staff, Portal.FrontDesk, Portal.Billing);
        await RegisterClinicianAsync(grains, Portal.Outsider, ClinicalRole.Physician);
    }

    /// <summary>A new registered adult patient (fresh id), who accepted the terms unless told otherwise.</summary>
    public static async Task<Actor> NewPatientAsync(IGrainFactory grains, string? primaryClinicianId = null, DateOnly? dateOfBirth = null, bool acceptTerms = true)
    {
        var patient = new Actor("patient-" + Guid.NewGuid().ToString("N")[..10], UserRole.Patient);
        var grain = grains.GetGrain<IPatientGrain>(patient.UserId);
        (await grain.RegisterAsync(Portal.Admin, new PatientProfile("Pat " + patient.UserId[^4..], dateOfBirth ?? new DateOnly(1980, 5, 17), primaryClinicianId))).Unwrap();
        if (acceptTerms)
        {
            await AcceptTermsAsync(grains, patient, patient);
        }

        return patient;
    }

    /// <summary>A new proxy account (fresh id), registered by the administrator: the only kind of user a patient can grant access to.</summary>
    public static async Task<Actor> NewProxyAccountAsync(IGrainFactory grains)
    {
        var proxy = new Actor("proxy-" + Guid.NewGuid().ToString("N")[..10], UserRole.Proxy);
        (await grains.GetGrain<IProxyGrain>(proxy.UserId).RegisterAsync(Portal.Admin, new ProxyProfile("Proxy " + proxy.UserId[^4..]))).Unwrap();
        return proxy;
    }

    /// <summary><paramref name="actor"/> (the patient or one of their proxies) accepts the current terms.</summary>
    public static async Task AcceptTermsAsync(IGrainFactory grains, Actor patient, Actor actor)
    {
        var grain = grains.GetGrain<IPatientGrain>(patient.UserId);
        var terms = (await grain.GetTermsAsync(actor)).Unwrap();
        (await grain.AcceptTermsAsync(actor, terms.CurrentVersion)).Unwrap();
    }

    /// <summary>The messages of a conversation as stored, read from the store rather than through the grain.</summary>
    public static async Task<IReadOnlyList<MessageView>> StoredMessagesAsync(IRuntimeStore store, string conversationId) =>
        (await store.ReadRowsAfterAsync(ConversationGrain.Messages, conversationId, 0, 10_000, default))
            .Select(r => JsonSerializer.Deserialize<MessageView>(r.Data, RuntimeJson.Options)!).ToList();

    private static async Task ConfigureTeamAsync(IGrainFactory grains, string id, params Actor[] members) =>
        (await grains.GetGrain<ICareTeamGrain>(id).ConfigureAsync(Portal.Admin,
            new CareTeamSettings(id, members.Select(m => m.UserId).ToList(), BusinessHours.WeekdaysEightToFive(Portal.TimeZone), []))).Unwrap();

    private static async Task RegisterClinicianAsync(IGrainFactory grains, Actor clinician, ClinicalRole role, params string[] teams) =>
        (await grains.GetGrain<IClinicianGrain>(clinician.UserId).RegisterAsync(Portal.Admin, new ClinicianProfile(clinician.UserId, role, teams))).Unwrap();
}
