using System.Text.Json.Serialization;
using Cluster.Api.Input;

namespace Cluster.Api.Clinicians;

/// <summary>PUT /api/v1/out-of-office: the window, and the reply patients get once per conversation while it lasts.</summary>
public sealed record OutOfOfficeBody(DateTimeOffset From, DateTimeOffset Until, [property: JsonConverter(typeof(FreeTextConverter))] string AutoReply);
