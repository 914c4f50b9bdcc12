using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cluster.Api.Input;

/// <summary>
/// Reads free text (a message body, a subject, an automatic reply). Text the JSON reader cannot decode (a broken surrogate,
/// escaped as <c>\uD800</c> or sent as raw bytes) is handed on as a lone surrogate instead of failing the whole request,
/// so that the text rules refuse it with their own code, <c>message_invalid_characters</c>, over REST and the hub alike.
/// </summary>
public sealed class FreeTextConverter : JsonConverter<string>
{
    // A lone high surrogate: what the text rules recognise as a character that cannot be stored.
    private const string Undecodable = "\uD800";

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new InvalidInputException("text");
        }

        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return Undecodable;
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
