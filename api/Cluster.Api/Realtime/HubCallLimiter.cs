using System.Threading.RateLimiting;
using Cluster.Api.Hosting;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Outcomes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Cluster.Api.Realtime;

/// <summary>
/// In front of every hub call: a per-connection token bucket (a runaway client cannot flood the grains), and the
/// mapping of runtime failures to a retryable refusal. Both answer as a failed result, like every other refusal.
/// </summary>
public sealed class HubCallLimiter(IOptions<ApiOptions> options) : IHubFilter
{
    private const string LimiterKey = "call-limiter";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var items = invocationContext.Context.Items;
        if (items[LimiterKey] is not TokenBucketRateLimiter limiter)
        {
            limiter = Create();
            items[LimiterKey] = limiter;
        }

        using var lease = limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            return new HubRefusal(new HubError(ErrorCodes.RateLimited, "Too many calls on this connection. Slow down and try again in a second.", 1));
        }

        try
        {
            return await next(invocationContext);
        }
        catch (GrainRuntimeException runtime)
        {
            return new HubRefusal(new HubError(ErrorCodes.Unavailable,
                "The service could not complete this call just now; nothing was saved. Please try again.", runtime.IsRetryable ? 1 : null));
        }
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        (context.Context.Items[LimiterKey] as IDisposable)?.Dispose();
        return next(context, exception);
    }

    private TokenBucketRateLimiter Create() => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = options.Value.HubCallBurst,
        TokensPerPeriod = options.Value.HubCallsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });
}
