using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cluster.LoadTests.Reports;

/// <summary>
/// The JSON form of a report: camelCase, indented; every duration in seconds (a number), timestamps in ISO 8601,
/// latencies in milliseconds, sizes in bytes. A quotient without a baseline is written "NaN".
/// </summary>
internal static class ReportJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new SecondsConverter() },
    };

    private sealed class SecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TimeSpan.FromSeconds(reader.GetDouble());

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(Math.Round(value.TotalSeconds, 6));
    }
}
