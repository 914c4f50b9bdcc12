using Cluster.Api.Auth;
using Cluster.Api.Conversations;
using Cluster.Api.Errors;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Clinicians;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Abstractions.Proxies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cluster.Api.Admin;

/// <summary>
/// Setting up an organisation: register patients, clinicians and proxy accounts, configure care teams. Each PUT creates or
/// replaces; the grains refuse anyone but an administrator (403). A user id in the path must have the shape of
/// <see cref="UserIds"/>, checked before any grain is touched.
/// </summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdmin(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").WithTags("Administration");
        admin.MapPut("/patients/{id}", RegisterPatientAsync).WithName("RegisterPatient");
        admin.MapPut("/clinicians/{id}", RegisterClinicianAsync).WithName("RegisterClinician");
        admin.MapPut("/proxies/{id}", RegisterProxyAsync).WithName("RegisterProxy");
        admin.MapPut("/care-teams/{id}", ConfigureCareTeamAsync).WithName("ConfigureCareTeam");
        return api;
    }

    private static async Task<Results<Ok<PatientView>, ProblemHttpResult>> RegisterPatientAsync(string id, PatientProfile profile, HttpContext http, IGrainFactory grains)
    {
        if (UserIds.Check(id, "The id in the path") is { } invalid)
        {
            return invalid.ToHttp();
        }

        return await ConversationsApi.Respond(grains.GetGrain<IPatientGrain>(id).RegisterAsync(http.User.ToActor(), profile));
    }

    private static async Task<Results<Ok<ProxyView>, ProblemHttpResult>> RegisterProxyAsync(string id, ProxyProfile profile, HttpContext http, IGrainFactory grains)
    {
        if (UserIds.Check(id, "The id in the path") is { } invalid)
        {
            return invalid.ToHttp();
        }

        return await ConversationsApi.Respond(grains.GetGrain<IProxyGrain>(id).RegisterAsync(http.User.ToActor(), profile with { DisplayName = profile.DisplayName ?? "" }));
    }

    private static async Task<Results<Ok<ClinicianView>, ProblemHttpResult>> RegisterClinicianAsync(string id, ClinicianProfile profile, HttpContext http, IGrainFactory grains)
    {
        if (UserIds.Check(id, "The id in the path") is { } invalid)
        {
            return invalid.ToHttp();
        }

        if (profile.CareTeamIds is null)
        {
            return Incomplete("careTeamIds (it may be empty)");
        }

        return await ConversationsApi.Respond(grains.GetGrain<IClinicianGrain>(id).RegisterAsync(http.User.ToActor(), profile));
    }

    private static async Task<Results<Ok<CareTeamView>, ProblemHttpResult>> ConfigureCareTeamAsync(string id, CareTeamSettings settings, HttpContext http, IGrainFactory grains)
    {
        if (settings.Members is null || settings.Hours?.TimeZoneId is null || settings.Hours.Days is null || settings.Holidays is null)
        {
            return Incomplete("members, hours (timeZoneId and days) and holidays (they may be empty)");
        }

        return await ConversationsApi.Respond(grains.GetGrain<ICareTeamGrain>(id).ConfigureAsync(http.User.ToActor(), settings));
    }

    // The contracts' lists are not nullable, but JSON may leave them out; the grains should never see a null list.
    private static ProblemHttpResult Incomplete(string fields) => Problem.Invalid($"Give {fields}.").ToHttp();
}
