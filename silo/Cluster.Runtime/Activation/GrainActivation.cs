using System.Text.Json;
using System.Threading.Channels;
using Cluster.Grains.Abstractions;
using Cluster.Runtime.Diagnostics;
using Cluster.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Activation;

/// <summary>
/// One in-memory instance of a grain. Its calls run one at a time, in arrival order, on a single pump;
/// each turn ends in one commit of everything it did, or in nothing.
/// </summary>
internal sealed class GrainActivation : IGrainActivationContext
{
    private readonly Catalog _catalog;
    private readonly GrainClass _class;
    private readonly Channel<TurnRequest> _queue = Channel.CreateUnbounded<TurnRequest>(new() { SingleReader = true });
    private readonly Lock _gate = new();
    private int _pending;
    private bool _closed;
    private bool _pumping;
    private long _lastUsedTicks;

    private IGrainBase? _instance;
    private object _state;
    private string? _persisted;
    private string _baseline = "";
    private long? _etag;
    private bool _loaded;
    private volatile bool _stale;
    private TurnContext? _turn;

    public GrainActivation(Catalog catalog, GrainId id, GrainClass grainClass)
    {
        _catalog = catalog;
        Id = id;
        _class = grainClass;
        _state = NewState();
        Touch();
    }

    public GrainId Id { get; }

    public string GrainType => Id.Type;

    public string Key => Id.Key;

    public IGrainFactory GrainFactory => _catalog.GrainFactory;

    public TimeProvider Clock => _catalog.Clock;

    public object State => _state;

    public ITurnContext Turn => _turn ?? throw new InvalidOperationException("There is no turn in progress; effects can only be recorded inside a grain call.");

    public IRowReader Rows => _catalog.Rows;

    public DateTimeOffset LastUsed => new(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);

    public bool TryEnqueue(TurnRequest request)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _pending++;
            if (!_pumping)
            {
                // Started on first use: the dictionary may build activations that lose the race and are never used.
                _pumping = true;
                _ = Task.Run(PumpAsync);
            }
        }

        Touch();
        _queue.Writer.TryWrite(request);
        return true;
    }

    /// <summary>Closes the activation if no call is queued or running and none arrived since <paramref name="idleSince"/>.</summary>
    public bool TryClose(DateTimeOffset idleSince)
    {
        lock (_gate)
        {
            if (_closed || _pending > 0 || LastUsed > idleSince)
            {
                return false;
            }

            _closed = true;
        }

        _queue.Writer.TryComplete();
        return true;
    }

    /// <summary>True while no call is queued or running.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return _pending == 0;
            }
        }
    }

    /// <summary>Another node committed a newer version; reload before the next turn.</summary>
    public void Invalidate(long etag)
    {
        if (_etag is not { } current || etag > current)
        {
            _stale = true;
        }
    }

    private async Task PumpAsync()
    {
        await foreach (var request in _queue.Reader.ReadAllAsync())
        {
            try
            {
                await RunAsync(request);
            }
            catch (Exception ex)
            {
                request.Fail(ex);
            }
            finally
            {
                Touch();
                lock (_gate)
                {
                    _pending--;
                }
            }
        }
    }

    private async Task RunAsync(TurnRequest request)
    {
        for (var attempt = 1; ; attempt++)
        {
            // A turn that lost an ETag race runs again holding the grain's row lock, so a busy grain elsewhere
            // cannot starve it: the locked attempt is the one writer.
            var locked = attempt > 1 ? await TryLockAsync(request) : null;
            if (attempt > 1 && locked is null)
            {
                return;
            }

            try
            {
                if (await TryTurnAsync(request, attempt, locked))
                {
                    return;
                }
            }
            finally
            {
                if (locked is not null)
                {
                    await locked.DisposeAsync();
                }
            }
        }
    }

    private async Task<ILockedGrainState?> TryLockAsync(TurnRequest request)
    {
        try
        {
            var locked = await _catalog.Store.LockStateAsync(Id, CancellationToken.None);
            Load(locked.State);
            return locked;
        }
        catch (Exception ex)
        {
            request.Fail(ex);
            return null;
        }
    }

    /// <summary>Runs one attempt of the turn; false when it lost an ETag race and should run again.</summary>
    private async Task<bool> TryTurnAsync(TurnRequest request, int attempt, ILockedGrainState? locked)
    {
        IGrainBase instance;
        try
        {
            instance = await EnsureActiveAsync();
        }
        catch (Exception ex)
        {
            RuntimeLog.ActivationFailed(_catalog.Logger, ex, Id.ToString());
            request.Fail(ex);
            return true;
        }

        var turn = new TurnContext(Clock.GetUtcNow());
        object? result;
        _turn = turn;
        try
        {
            result = await request.Invoke(instance);
        }
        catch (Exception ex)
        {
            Reset();
            RuntimeMetrics.TurnsFailed.Add(1);
            request.Fail(ex);
            return true;
        }
        finally
        {
            _turn = null;
        }

        var state = JsonSerializer.Serialize(_state, _class.StateType, RuntimeJson.Options);
        if (!turn.HasEffects && request.Fired is null && state == _baseline)
        {
            request.Complete(result);
            return true;
        }

        try
        {
            var commit = new TurnCommit(Id, _etag, state, turn.Rows, turn.Events, turn.Reminders, request.Fired, turn.Now);
            var committed = locked is null
                ? await _catalog.Store.CommitAsync(commit, CancellationToken.None)
                : await locked.CommitAsync(commit, CancellationToken.None);
            _persisted = _baseline = state;
            _etag = committed.ETag;
            RuntimeMetrics.TurnsCommitted.Add(1);
            _catalog.OnCommitted(Id, committed);
            request.Complete(result);
            return true;
        }
        catch (ETagConflictException)
        {
            RuntimeMetrics.TurnConflicts.Add(1);
            _stale = true;
            if (attempt >= _catalog.Options.MaxTurnAttempts)
            {
                Reset();
                RuntimeLog.TurnGaveUp(_catalog.Logger, Id.ToString(), request.Method, attempt);
                request.Fail(new GrainConcurrencyException(Id.ToString(), attempt));
                return true;
            }

            RuntimeLog.TurnConflict(_catalog.Logger, Id.ToString(), request.Method, attempt);
            return false;
        }
        catch (Exception ex)
        {
            Reset();
            RuntimeMetrics.TurnsFailed.Add(1);
            RuntimeLog.CommitFailed(_catalog.Logger, ex, Id.ToString(), request.Method);
            request.Fail(ex);
            return true;
        }
    }

    private async Task<IGrainBase> EnsureActiveAsync()
    {
        if (!_loaded || _stale)
        {
            Load(await _catalog.Store.ReadStateAsync(Id, CancellationToken.None));
        }

        if (_instance is null)
        {
            var instance = (IGrainBase)ActivatorUtilities.CreateInstance(_catalog.Services, _class.ImplementationType);
            instance.Attach(this);
            await instance.OnActivateAsync(CancellationToken.None);
            _instance = instance;
            RuntimeMetrics.Activations.Add(1);
            RuntimeLog.Activated(_catalog.Logger, Id.ToString());
        }

        return _instance;
    }

    private void Load(GrainStateRecord? record)
    {
        _stale = false;
        _persisted = record?.Data;
        _etag = record?.ETag;
        Reset();
        _baseline = JsonSerializer.Serialize(_state, _class.StateType, RuntimeJson.Options);
        _loaded = true;
    }

    /// <summary>Puts back the last committed state, dropping whatever a failed turn changed.</summary>
    private void Reset() =>
        _state = _persisted is null ? NewState() : JsonSerializer.Deserialize(_persisted, _class.StateType, RuntimeJson.Options)!;

    private object NewState() => Activator.CreateInstance(_class.StateType)!;

    private void Touch() => Interlocked.Exchange(ref _lastUsedTicks, Clock.GetUtcNow().UtcTicks);
}
