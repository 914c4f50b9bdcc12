namespace Cluster.Grains.Abstractions;

/// <summary>The runtime's handle on a grain instance.</summary>
public interface IGrainBase
{
    void Attach(IGrainActivationContext context);

    Task OnActivateAsync(CancellationToken cancellationToken);
}

/// <summary>Base class of grains without persistent state.</summary>
public abstract class Grain : IGrainBase
{
    private IGrainActivationContext? _context;

    protected IGrainActivationContext Context =>
        _context ?? throw new InvalidOperationException("The grain was not activated by the runtime.");

    protected string GrainKey => Context.Key;

    protected IGrainFactory GrainFactory => Context.GrainFactory;

    /// <summary>The running turn: append rows, emit events, set reminders.</summary>
    protected ITurnContext Turn => Context.Turn;

    protected IRowReader Rows => Context.Rows;

    void IGrainBase.Attach(IGrainActivationContext context) => _context = context;

    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Base class of grains with persistent state. Change <see cref="State"/> freely during a turn: the
/// runtime writes it with the turn's other effects when the turn returns, and discards it if the turn throws.
/// </summary>
public abstract class Grain<TState> : Grain where TState : class, new()
{
    protected TState State => (TState)Context.State;
}
