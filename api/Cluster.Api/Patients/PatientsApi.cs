using Cluster.Api.Auth;
using Cluster.Api.Conversations;
using Cluster.Api.Errors;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cluster.Api.Patients;

/// <summary>Patients: their profile, the messaging terms and the proxies they grant. A patient the caller may not see is 404.</summary>
public static class PatientsApi
{
    public static RouteGroupBuilder MapPatients(this RouteGroupBuilder api)
    {
        var patients = api.MapGroup("/patients").WithTags("Patients");
        patients.MapGet("/{patientId}", GetPatientAsync).WithName("GetPatient");
        patients.MapPost("/{patientId}/proxies", GrantProxyAsync).WithName("GrantProxy");
        patients.MapDelete("/{patientId}/proxies/{proxyUserId}", RevokeProxyAsync).WithName("RevokeProxy");

        var terms = api.MapGroup("/terms").WithTags("Terms");
        terms.MapGet("", GetTermsAsync).WithName("GetTerms");
        terms.MapPost("/accept", AcceptTermsAsync).WithName("AcceptTerms");
        return api;
    }

    /// <summary>The current terms and whether the caller accepted them, for themselves or for the patient they act for.</summary>
    private static async Task<Results<Ok<TermsStatus>, ProblemHttpResult>> GetTermsAsync(string? patientId, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        if (PatientOf(actor, patientId) is not { } patient)
        {
            return NameThePatient();
        }

        return await ConversationsApi.Respond(Grain(grains, patient).GetTermsAsync(actor));
    }

    private static async Task<Results<Ok<TermsStatus>, ProblemHttpResult>> AcceptTermsAsync(AcceptTermsBody body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        if (PatientOf(actor, body.PatientId) is not { } patient)
        {
            return NameThePatient();
        }

        return await ConversationsApi.Respond(Grain(grains, patient).AcceptTermsAsync(actor, body.Version ?? ""));
    }

    // An id without the shape of a user id names no patient: answered like any patient the caller may not see.
    private static async Task<Results<Ok<PatientView>, ProblemHttpResult>> GetPatientAsync(string patientId, HttpContext http, IGrainFactory grains) =>
        UserIds.IsValid(patientId) ? await ConversationsApi.Respond(Grain(grains, patientId).GetAsync(http.User.ToActor())) : NoSuchPatient();

    private static async Task<Results<Ok<ProxyGrantView>, ProblemHttpResult>> RevokeProxyAsync(string patientId, string proxyUserId, HttpContext http, IGrainFactory grains)
    {
        if (!UserIds.IsValid(patientId))
        {
            return NoSuchPatient();
        }

        return UserIds.IsValid(proxyUserId)
            ? await ConversationsApi.Respond(Grain(grains, patientId).RevokeProxyAsync(http.User.ToActor(), proxyUserId))
            : Problem.NotFound("proxy grant").ToHttp();
    }

    /// <summary>The grain checks the proxy's id, that it is a registered proxy account, and the limit of active grants.</summary>
    private static async Task<Results<Created<ProxyGrantView>, ProblemHttpResult>> GrantProxyAsync(
        string patientId, GrantProxyBody body, HttpContext http, IGrainFactory grains)
    {
        if (!UserIds.IsValid(patientId))
        {
            return NoSuchPatient();
        }

        var outcome = await Grain(grains, patientId).GrantProxyAsync(http.User.ToActor(), new GrantProxyRequest(body.ProxyUserId ?? "", body.Scope, body.ExpiresAt));
        return outcome.IsOk
            ? TypedResults.Created($"/api/v1/patients/{Uri.EscapeDataString(patientId)}", outcome.Value!)
            : outcome.Problem!.ToHttp();
    }

    /// <summary>Patients act for themselves unless they name someone; everyone else names the patient.</summary>
    private static string? PatientOf(Actor actor, string? patientId) =>
        patientId is { Length: > 0 } ? patientId : actor.Role == UserRole.Patient ? actor.UserId : null;

    private static ProblemHttpResult NoSuchPatient() => Problem.NotFound("patient").ToHttp();

    private static ProblemHttpResult NameThePatient() =>
        Problem.Invalid("Name the patient whose messaging terms these are (patientId).").ToHttp();

    private static IPatientGrain Grain(IGrainFactory grains, string patientId) => grains.GetGrain<IPatientGrain>(patientId);
}
