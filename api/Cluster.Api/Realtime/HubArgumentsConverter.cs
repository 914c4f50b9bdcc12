using System.Text.Json;
using System.Text.Json.Serialization;
using Cluster.Api.Input;

namespace Cluster.Api.Realtime;

/// <summary>
/// Reads a hub call's argument object by the rules of REST bodies (<see cref="StrictJson"/>), but answers what those rules refuse
/// (a duplicate or unknown property, a value of the wrong type) with a stand-in marked unreadable instead of failing the
/// binding: SignalR reports a binding failure only as a bare "Failed to invoke" error, while the hub answers the stand-in with
/// invalid_request naming the field, like REST.
/// </summary>
public sealed class HubArgumentsConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeof(IHubArguments).IsAssignableFrom(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        // The argument itself is read with the same options, less this factory (which would otherwise read it again).
        var inner = new JsonSerializerOptions(options);
        inner.Converters.Remove(this);
        return (JsonConverter)Activator.CreateInstance(typeof(Reader<>).MakeGenericType(typeToConvert), inner)!;
    }

    private sealed class Reader<T>(JsonSerializerOptions inner) : JsonConverter<T>
        where T : class, IHubArguments<T>
    {
        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var start = reader;
            try
            {
                return JsonSerializer.Deserialize<T>(ref reader, inner);
            }
            catch (JsonException unreadable)
            {
                // SignalR hands a converter the whole value, so it can always be skipped from its start.
                reader = start;
                reader.Skip();
                return T.Refused(InputProblems.DescribeArgument(unreadable));
            }
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => JsonSerializer.Serialize(writer, value, inner);
    }
}
