using Cluster.Api.Errors;
using Cluster.Grains.Abstractions.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cluster.Api.Input;

/// <summary>
/// A user id named in a request (path, query or body) checked against the one shape of <see cref="UserIds"/> before any grain
/// is touched: a malformed id names nobody, so it is a malformed request, not a "not found", and never reaches storage.
/// </summary>
public static class UserIdInput
{
    /// <summary>400 invalid_request naming <paramref name="field"/> when an id is given (null: not given) without the shape; otherwise null.</summary>
    public static ProblemHttpResult? Check(string? id, string field) =>
        id is not null && UserIds.Check(id, field) is { } invalid ? invalid.ToHttp() : null;
}
