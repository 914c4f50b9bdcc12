using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cluster.Api.Input;

/// <summary>
/// Enums as their documented names and nothing else: no numbers (<c>0</c>, <c>"7"</c>), no comma lists that a flags parser
/// would add up (<c>"Appointment, PrescriptionRenewal"</c> is not <c>Billing</c>), no other casing or padding. Written as
/// <see cref="JsonStringEnumConverter"/> writes them.
/// </summary>
public sealed class StrictEnumConverter : JsonConverterFactory
{
    private readonly JsonStringEnumConverter _writer = new();

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter?)Activator.CreateInstance(typeof(Names<>).MakeGenericType(typeToConvert), _writer.CreateConverter(typeToConvert, options));

    private sealed class Names<T>(JsonConverter<T> writer) : JsonConverter<T> where T : struct, Enum
    {
        private static readonly Dictionary<string, T> ByName = Enum.GetNames<T>().ToDictionary(name => name, Enum.Parse<T>, StringComparer.Ordinal);
        private static readonly string Expected = "one of " + string.Join(", ", Enum.GetNames<T>());

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && ByName.TryGetValue(reader.GetString()!, out var value)
                ? value
                : throw new InvalidInputException(Expected);

        public override void Write(Utf8JsonWriter writer1, T value, JsonSerializerOptions options) => writer.Write(writer1, value, options);

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ByName.TryGetValue(reader.GetString()!, out var value) ? value : throw new InvalidInputException("a name " + Expected);

        public override void WriteAsPropertyName(Utf8JsonWriter writer1, T value, JsonSerializerOptions options) =>
            writer.WriteAsPropertyName(writer1, value, options);
    }
}

/// <summary>A value the API refuses to read, with what it expects instead ("one of Read, ReadAndSend"), safe to show.</summary>
public sealed class InvalidInputException(string expected) : JsonException(expected)
{
    public string Expected { get; } = expected;
}
