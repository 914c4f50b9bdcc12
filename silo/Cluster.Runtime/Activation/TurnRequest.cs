using Cluster.Storage;

namespace Cluster.Runtime.Activation;

/// <summary>One call waiting for its turn on an activation.</summary>
internal sealed class TurnRequest(string method, Func<object, Task<object?>> invoke, FiredReminder? fired = null)
{
    private readonly TaskCompletionSource<object?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Method { get; } = method;

    /// <summary>Runs the call on the grain instance and returns its result (null for a plain Task).</summary>
    public Func<object, Task<object?>> Invoke { get; } = invoke;

    public FiredReminder? Fired { get; } = fired;

    public Task<object?> Completion => _completion.Task;

    public void Complete(object? result) => _completion.TrySetResult(result);

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}
