using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Grains.Policies;

/// <summary>Why a policy refused: a stable code, a sentence for the person, and when trying again will work if waiting helps.</summary>
public sealed record PolicyViolation(string Code, string Message, TimeSpan? RetryAfter = null)
{
    /// <summary>The same refusal as the problem a grain returns to its caller.</summary>
    public Problem ToProblem() => new(Code, Message, RetryAfter);
}
