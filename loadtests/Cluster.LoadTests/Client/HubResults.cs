using System.Text.Json;

namespace Cluster.LoadTests.Client;

/// <summary>Reads the messaging hub's call results: <c>{ "ok": true, "value": ... }</c> or <c>{ "ok": false, "error": { "code": ... } }</c>.</summary>
public static class HubResults
{
    /// <summary>The result's ok flag; when false, its error code prefixed "error." (the failure code a report counts).</summary>
    public static bool IsOk(JsonElement result, out string code)
    {
        if (result.ValueKind == JsonValueKind.Object && result.TryGetProperty("ok", out var ok) && ok.GetBoolean())
        {
            code = "";
            return true;
        }

        code = result.ValueKind == JsonValueKind.Object && result.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            ? "error." + error.GetProperty("code").GetString()
            : "error.unknown";
        return false;
    }
}
