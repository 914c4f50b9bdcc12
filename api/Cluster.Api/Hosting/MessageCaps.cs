namespace Cluster.Api.Hosting;

/// <summary>
/// The character caps of the "Messaging" section (the grains enforce them), read here only to size the API's byte limits
/// so that a message within the caps always fits in a request body and a hub frame.
/// </summary>
public sealed class MessageCaps
{
    public const string SectionName = "Messaging";

    public int MaxBodyCharacters { get; set; } = 2000;

    public int MaxSubjectCharacters { get; set; } = 120;
}
