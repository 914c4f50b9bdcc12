namespace Cluster.Api.Tests.Rest;

/// <summary>The limit every wait in these tests is held to: one call into the in-process node.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Call = TimeSpan.FromSeconds(30);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Call);

    public static Task Within(this Task task) => task.WaitAsync(Call);
}
