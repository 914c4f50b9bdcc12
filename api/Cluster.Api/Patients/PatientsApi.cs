using Cluster.Api.Auth;
using Cluster.Api.Conversations;
using Cluster.Api.Errors;
using Cluster.Api.Input;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cluster.Api.Patients;

/// <summary>
/// Patients: their profile, the messaging terms and the proxies they grant. A patient the caller may not see is 404; a user id
/// of the wrong shape (<see cref="UserIds"/>), in the path, the query or the body, is invalid_request before any grain is touched.
/// </summary>
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
        if (UserIdInput.Check(patientId, "patientId") is { } invalid)
        {
            return invalid;
        }

        if (PatientOf(actor, patientId) is not { } patient)
        {
            return NameThePatient();
        }

        return await ConversationsApi.Respond(Grain(grains, patient).GetTermsAsync(actor));
    }

    private static async Task<Results<Ok<TermsStatus>, ProblemHttpResult>> AcceptTermsAsync(AcceptTermsBody body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        if (UserIdInput.Check(body.PatientId, "patientId") is { } invalid)
        {
            return invalid;
        }

        if (PatientOf(actor, body.PatientId) is not { } patient)
        {
            return NameThePatient();
        }

        return await ConversationsApi.Respond(Grain(grains, patient).AcceptTermsAsync(actor, body.Version ?? ""));
    }

    private static async Task<Results<Ok<PatientView>, ProblemHttpResult>> GetPatientAsync(string patientId, HttpContext http, IGrainFactory grains) =>
        UserIdInput.Check(patientId, InPath) is { } invalid ? invalid : await ConversationsApi.Respond(Grain(grains, patientId).GetAsync(http.User.ToActor()));

    private static async Task<Results<Ok<ProxyGrantView>, ProblemHttpResult>> RevokeProxyAsync(string patientId, string proxyUserId, HttpContext http, IGrainFactory grains)
    {
        if ((UserIdInput.Check(patientId, InPath) ?? UserIdInput.Check(proxyUserId, "The proxyUserId in the path")) is { } invalid)
        {
            return invalid;
        }

        return await ConversationsApi.Respond(Grain(grains, patientId).RevokeProxyAsync(http.User.ToActor(), proxyUserId));
    }

    /// <summary>The grain checks the proxy's id, that it is a registered proxy account, and the limit of active grants.</summary>
    private static async Task<Results<Created<ProxyGrantView>, ProblemHttpResult>> GrantProxyAsync(
        string patientId, GrantProxyBody body, HttpContext http, IGrainFactory grains)
    {
        if (UserIdInput.Check(patientId, InPath) is { } invalid)
        {
            return invalid;
        }

        var outcome = await Grain(grains, patientId).GrantProxyAsync(http.User.ToActor(), new GrantProxyRequest(body.ProxyUserId ?? "", body.Scope, body.ExpiresAt));
        return outcome.IsOk
            ? TypedResults.Created($"/api/v1/patients/{Uri.EscapeDataString(patientId)}", outcome.Value!)
            : outcome.Problem!.ToHttp();
    }

    /// <summary>Patients act for themselves unless they name someone; everyone else names the patient.</summary>
    private static string? PatientOf(Actor actor, string? patientId) =>
        patientId ?? (actor.Role == UserRole.Patient ? actor.UserId : null);

    private const string InPath = "The patientId in the path";

    private static ProblemHttpResult NameThePatient() =>
        Problem.Invalid("Name the patient whose messaging terms these are (patientId).").ToHttp();

    private static IPatientGrain Grain(IGrainFactory grains, string patientId) => grains.GetGrain<IPatientGrain>(patientId);
}
