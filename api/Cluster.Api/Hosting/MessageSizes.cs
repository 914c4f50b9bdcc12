namespace Cluster.Api.Hosting;

/// <summary>
/// The most bytes a valid message can take on the wire. A user-perceived character is at most 32 UTF-16 code units
/// (the text rules refuse longer ones; the longest emoji sequences take 15), and JSON may write any code unit as a
/// six-byte \uXXXX escape, so a text of N characters takes at most N x 32 x 6 bytes: 384,000 for a 2,000-character body.
/// Raw UTF-8 is smaller (at most 3 bytes per code unit); the escaped form is the worst a client may send.
/// </summary>
public static class MessageSizes
{
    /// <summary>UTF-16 code units one character may take; the same bound as the grains' text rules.</summary>
    public const int MaxCodeUnitsPerCharacter = 32;

    /// <summary>The longest JSON escape of one UTF-16 code unit: \uXXXX.</summary>
    public const int MaxJsonBytesPerCodeUnit = 6;

    /// <summary>The longest conversation id and client message id a call may name (see the hub's and the grains' checks).</summary>
    public const int MaxIdCharacters = 200 + 100;

    /// <summary>Room for everything around the texts: the frame's envelope, property names, an invocation id, other fields.</summary>
    public const int Envelope = 4 * 1024;

    /// <summary>The worst-case JSON size of a text of this many characters.</summary>
    public static long TextBytes(int characters) => (long)characters * MaxCodeUnitsPerCharacter * MaxJsonBytesPerCodeUnit;

    /// <summary>The smallest hub frame limit that still takes every valid SendMessage call.</summary>
    public static int HubFrameBytes(MessageCaps caps) => Checked(TextBytes(caps.MaxBodyCharacters) + Ids + Envelope);

    /// <summary>The smallest request body limit that still takes every valid REST body (a conversation start: subject and body).</summary>
    public static int RequestBodyBytes(MessageCaps caps) =>
        Checked(TextBytes(caps.MaxBodyCharacters) + TextBytes(caps.MaxSubjectCharacters) + Ids + Envelope);

    private static long Ids => (long)MaxIdCharacters * MaxJsonBytesPerCodeUnit;

    private static int Checked(long bytes) => bytes <= int.MaxValue ? (int)bytes
        : throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "The messaging caps are too large to size a frame from.");
}
