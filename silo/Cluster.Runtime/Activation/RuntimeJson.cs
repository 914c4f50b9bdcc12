using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cluster.Runtime.Activation;

/// <summary>The one serializer setting for state, rows, events and backplane messages.</summary>
public static class RuntimeJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
