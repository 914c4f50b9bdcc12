using System.Text.RegularExpressions;

namespace Cluster.Api.Tests.Realtime;

public static partial class HubAssert
{
    /// <summary>The text tells a client what happened without the server's internals: no stack frames, exception types or namespaces.</summary>
    /// <summary>
    /// No stack trace and no namespaces. SignalR itself appends "HubException: Method does not exist." to an unknown
    /// method's error whatever the settings; that one framework type name is allowed, nothing else.
    /// </summary>
    public static void NoStackTrace(string? text)
    {
        Assert.False(string.IsNullOrWhiteSpace(text), "expected an error text");
        Assert.False(text.Contains("   at ", StringComparison.Ordinal), $"The error has a stack trace: {text}");
        Assert.False(Namespace().IsMatch(text), $"The error names a .NET namespace: {text}");
        Assert.False(ExceptionName().IsMatch(text.Replace("HubException: Method does not exist.", "", StringComparison.Ordinal)), $"The error names an exception type: {text}");
    }

    public static void NoInternals(string? text)
    {
        Assert.False(string.IsNullOrWhiteSpace(text), "expected an error text");
        Assert.False(text.Contains("   at ", StringComparison.Ordinal), $"The error has a stack trace: {text}");
        Assert.False(ExceptionName().IsMatch(text), $"The error names an exception type: {text}");
        Assert.False(Namespace().IsMatch(text), $"The error names a .NET namespace: {text}");
    }

    /// <summary>
    /// A close the server chose to explain: SignalR sends a reason raised as a HubException as "Connection closed with an
    /// error. HubException: reason"; that framework prefix is allowed, and the reason itself has no internals.
    /// </summary>
    public static void ReadableClose(string? text)
    {
        const string Prefix = "Connection closed with an error. HubException: ";
        Assert.False(string.IsNullOrWhiteSpace(text), "expected a close reason");
        Assert.StartsWith(Prefix, text, StringComparison.Ordinal);
        NoInternals(text[Prefix.Length..]);
    }

    [GeneratedRegex(@"\w*Exception\b")]
    private static partial Regex ExceptionName();

    [GeneratedRegex(@"\b(System|Microsoft|Cluster)\.\w")]
    private static partial Regex Namespace();
}
