using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Cluster.Api.Input;

/// <summary>
/// How the API reads JSON, the same for REST bodies and hub arguments: enums by name only and required unless nullable,
/// each property at most once, and no property the request does not have (a misspelt or invented field is refused, not
/// silently dropped: in a medical record the sender must know what was not taken).
/// </summary>
public static class StrictJson
{
    public static void Apply(JsonSerializerOptions options)
    {
        options.Converters.Add(new StrictEnumConverter());
        options.AllowDuplicateProperties = false;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(RequireEnums);
    }

    // An enum left out would read as its first member (a missing topic would become MedicalQuestion); a nullable one may be left out.
    private static void RequireEnums(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in type.Properties.Where(p => p.PropertyType.IsEnum))
        {
            property.IsRequired = true;
        }
    }
}
