using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Clinicians;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Abstractions.Proxies;
using Cluster.Api.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Api.Auth;

/// <summary>A user of the embedded profile's demo organisation.</summary>
public sealed record DemoUser(string UserId, UserRole Role, string DisplayName);

/// <summary>The demo organisation served with development tokens: care teams, clinicians, patients and proxies.</summary>
public static class DemoUsers
{
    public const string TimeZone = "America/New_York";

    public static readonly DemoUser Admin = new("admin", UserRole.Admin, "Ada Admin");
    public static readonly DemoUser Physician = new("dr-house", UserRole.Clinician, "Dr. Greg House");
    public static readonly DemoUser Nurse = new("nurse-joy", UserRole.Clinician, "Joy Park, RN");
    public static readonly DemoUser Clerk = new("clerk-bob", UserRole.Staff, "Bob Reyes");
    public static readonly DemoUser Alice = new("patient-alice", UserRole.Patient, "Alice Moreau");
    public static readonly DemoUser Ben = new("patient-ben", UserRole.Patient, "Ben Okafor");
    public static readonly DemoUser Carol = new("proxy-carol", UserRole.Proxy, "Carol Moreau");
    public static readonly DemoUser Dan = new("proxy-dan", UserRole.Proxy, "Dan Okafor");

    public static IReadOnlyList<DemoUser> All { get; } = [Admin, Physician, Nurse, Clerk, Alice, Ben, Carol, Dan];

    public static DemoUser? Find(string userId) => All.FirstOrDefault(u => u.UserId == userId);
}

/// <summary>With dev tokens on, creates the demo organisation at start-up (idempotent), so a fresh embedded node can be used at once.</summary>
public sealed class DemoSeeder(IGrainFactory grains, TimeProvider clock, IOptions<AuthOptions> options) : IHostedService
{
    private static readonly Actor Admin = new(DemoUsers.Admin.UserId, UserRole.Admin);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.DevTokens)
        {
            return;
        }

        var hours = BusinessHours.WeekdaysEightToFive(DemoUsers.TimeZone);
        await TeamAsync("clinical", "Family Medicine", hours, DemoUsers.Physician, DemoUsers.Nurse);
        await TeamAsync("nurses", "Family Medicine nurses", hours, DemoUsers.Nurse);
        await TeamAsync("front-desk", "Front desk", hours, DemoUsers.Clerk);
        await TeamAsync("billing", "Billing office", hours, DemoUsers.Clerk);
        await ClinicianAsync(DemoUsers.Physician, ClinicalRole.Physician, "clinical");
        await ClinicianAsync(DemoUsers.Nurse, ClinicalRole.Nurse, "clinical", "nurses");
        await ClinicianAsync(DemoUsers.Clerk, ClinicalRole.Staff, "front-desk", "billing");
        await PatientAsync(DemoUsers.Alice, new DateOnly(1980, 5, 17), DemoUsers.Physician.UserId);
        await PatientAsync(DemoUsers.Ben, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddYears(-15), null);
        await ProxyAsync(DemoUsers.Carol);
        await ProxyAsync(DemoUsers.Dan);
        await GrantAsync(DemoUsers.Alice, DemoUsers.Carol, ProxyScope.ReadAndSend);
        await GrantAsync(DemoUsers.Ben, DemoUsers.Dan, ProxyScope.Read);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task TeamAsync(string id, string name, BusinessHours hours, params DemoUser[] members) =>
        (await grains.GetGrain<ICareTeamGrain>(id).ConfigureAsync(Admin, new CareTeamSettings(name, members.Select(m => m.UserId).ToList(), hours, []))).Unwrap();

    private async Task ClinicianAsync(DemoUser user, ClinicalRole role, params string[] teams) =>
        (await grains.GetGrain<IClinicianGrain>(user.UserId).RegisterAsync(Admin, new ClinicianProfile(user.DisplayName, role, teams))).Unwrap();

    private async Task PatientAsync(DemoUser user, DateOnly dateOfBirth, string? primaryClinicianId) =>
        (await grains.GetGrain<IPatientGrain>(user.UserId).RegisterAsync(Admin, new PatientProfile(user.DisplayName, dateOfBirth, primaryClinicianId))).Unwrap();

    private async Task ProxyAsync(DemoUser user) =>
        (await grains.GetGrain<IProxyGrain>(user.UserId).RegisterAsync(Admin, new ProxyProfile(user.DisplayName))).Unwrap();

    private async Task GrantAsync(DemoUser patient, DemoUser proxy, ProxyScope scope)
    {
        var grain = grains.GetGrain<IPatientGrain>(patient.UserId);
        var existing = (await grain.GetAsync(Admin)).Unwrap().Proxies.FirstOrDefault(p => p.ProxyUserId == proxy.UserId);
        if (existing is not { Active: true })
        {
            (await grain.GrantProxyAsync(Admin, new GrantProxyRequest(proxy.UserId, scope, null))).Unwrap();
        }
    }
}
