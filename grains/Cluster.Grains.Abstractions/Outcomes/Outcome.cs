namespace Cluster.Grains.Abstractions.Outcomes;

/// <summary>Why an operation was refused: a stable code, a sentence for the person, and when to try again if that helps.</summary>
public sealed record Problem(string Code, string Message, TimeSpan? RetryAfter = null)
{
    public static Problem NotFound(string what) => new(ErrorCodes.NotFound, $"The {what} does not exist or you do not have access to it.");

    public static Problem Forbidden(string sentence) => new(ErrorCodes.Forbidden, sentence);

    public static Problem Invalid(string sentence) => new(ErrorCodes.InvalidRequest, sentence);
}

/// <summary>The result of a domain operation: a value, or the problem that stopped it. Refusals are values, not exceptions.</summary>
public sealed record Outcome<T>
{
    private Outcome(T? value, Problem? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }

    public Problem? Problem { get; }

    public bool IsOk => Problem is null;

    public static Outcome<T> Ok(T value) => new(value, null);

    public static Outcome<T> Fail(Problem problem) => new(default, problem);

    public static implicit operator Outcome<T>(Problem problem) => Fail(problem);

    /// <summary>The value, or an exception naming the problem; for callers that already checked.</summary>
    public T Unwrap() => IsOk ? Value! : throw new InvalidOperationException($"{Problem!.Code}: {Problem.Message}");
}

/// <summary>Shorthands so grains can write <c>return Outcome.Ok(x)</c>.</summary>
public static class Outcome
{
    public static Outcome<T> Ok<T>(T value) => Outcome<T>.Ok(value);

    /// <summary>A finished task with this value, for grain methods that need no await.</summary>
    public static Task<Outcome<T>> Completed<T>(T value) => Task.FromResult(Outcome<T>.Ok(value));

    /// <summary>A finished task with this refusal, for grain methods that need no await.</summary>
    public static Task<Outcome<T>> Refused<T>(Problem problem) => Task.FromResult(Outcome<T>.Fail(problem));
}
