namespace Cluster.Api.Realtime;

/// <summary>A hub call's argument object, which may stand for an argument that could not be read.</summary>
public interface IHubArguments
{
    /// <summary>Why the argument could not be read, as a sentence naming the field; null when it was read.</summary>
    string? Unreadable { get; }
}

/// <summary>An argument type <see cref="HubArgumentsConverter"/> can answer with a stand-in when the JSON could not be read.</summary>
public interface IHubArguments<TSelf> : IHubArguments
    where TSelf : class, IHubArguments<TSelf>
{
    /// <summary>The stand-in for an argument that could not be read, carrying why.</summary>
    static abstract TSelf Refused(string reason);
}
