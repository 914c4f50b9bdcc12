using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cluster.Api.Errors;
using Cluster.Grains.Abstractions.Outcomes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cluster.Api.Input;

/// <summary>Request bodies the API could not take, as problem documents that name the field and never show internals.</summary>
public static partial class InputProblems
{
    public const string RequestTooLarge = "request_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>413: the body is over the node's limit, which is sized so that every message within the character caps fits.</summary>
    public static ProblemHttpResult TooLarge(long limit) =>
        ProblemResults.Create(StatusCodes.Status413PayloadTooLarge, RequestTooLarge,
            // Invariant culture: the sentence and its number read the same whichever culture the node runs under.
            $"The request is larger than {limit.ToString("N0", CultureInfo.InvariantCulture)} bytes, the most this service accepts. "
            + "A message within the character limits always fits.");

    /// <summary>415: the body is not JSON.</summary>
    public static ProblemHttpResult NotJson() =>
        ProblemResults.Create(StatusCodes.Status415UnsupportedMediaType, UnsupportedMediaType,
            "Send the body as JSON, with the header Content-Type: application/json.");

    /// <summary>400 invalid_request naming what could not be read, when the JSON says.</summary>
    public static ProblemHttpResult Unreadable(JsonException? json) =>
        ProblemResults.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest,
            Describe(json, "The request could not be read; check that the body is valid JSON of the documented shape."));

    /// <summary>The invalid_request sentence for a hub call's argument object that could not be read, naming the field as REST does.</summary>
    public static string DescribeArgument(JsonException json) =>
        Describe(json, "The call's argument could not be read; send one JSON object of the documented shape.");

    private static string Describe(JsonException? json, string otherwise)
    {
        var field = json?.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        return json switch
        {
            InvalidInputException invalid when field is not null => $"'{field}' must be {invalid.Expected}.",
            not null when json.Message.StartsWith("Duplicate property", StringComparison.Ordinal) && field is not null =>
                $"'{field}' appears more than once; send each field once.",
            not null when json.Message.Contains("could not be mapped", StringComparison.Ordinal) && field is not null =>
                $"'{field}' is not a field of this request; remove it (names are listed in the API documentation).",
            not null when MissingFields().Match(json.Message) is { Success: true } missing =>
                $"The body is missing {missing.Groups["names"].Value}.",
            not null when field is not null => $"'{field}' is missing or not of the documented type.",
            _ => otherwise,
        };
    }

    // System.Text.Json names the missing required properties, quoted, at the end of its message.
    [GeneratedRegex("missing required properties including: (?<names>'[^']+'(, '[^']+')*)")]
    private static partial Regex MissingFields();
}
