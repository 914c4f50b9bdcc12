namespace Cluster.Grains.Abstractions;

/// <summary>Base of the runtime's failures that a caller can act on.</summary>
public abstract class GrainRuntimeException : Exception
{
    protected GrainRuntimeException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    /// <summary>True when the same call may succeed if sent again (nothing was committed).</summary>
    public abstract bool IsRetryable { get; }
}

/// <summary>Other nodes kept changing the grain; the turn was retried the allowed number of times and gave up.</summary>
public sealed class GrainConcurrencyException(string grain, int attempts)
    : GrainRuntimeException($"Grain {grain} was changed concurrently {attempts} times; nothing was committed.")
{
    public override bool IsRetryable => true;
}

/// <summary>The call did not complete within its timeout. It may still commit later; retry with the same idempotency key.</summary>
public sealed class GrainCallTimeoutException(string grain, string method, TimeSpan timeout)
    : GrainRuntimeException($"Call {method} on grain {grain} did not complete within {timeout.TotalSeconds:0.#} s.")
{
    public override bool IsRetryable => true;
}

/// <summary>The store could not be reached or refused the commit for a transient reason; nothing was committed.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null)
    : GrainRuntimeException(message, inner)
{
    public override bool IsRetryable => true;
}

/// <summary>A row's sequence or unique key already exists; the turn was rolled back.</summary>
public sealed class DuplicateRowException(string collection, string partition)
    : GrainRuntimeException($"A row with the same key already exists in {collection}/{partition}; nothing was committed.")
{
    public override bool IsRetryable => false;
}
