namespace Cluster.Grains.Policies;

/// <summary>Sliding-window rate limits over the times of past actions; a window of length W at <c>now</c> holds the events in (now - W, now].</summary>
public static class RateLimitPolicy
{
    /// <summary>
    /// Null when the action is allowed now; otherwise a violation whose RetryAfter is the shortest wait after which every window
    /// has room, worded for <paramref name="voice"/>.
    /// </summary>
    public static PolicyViolation? Evaluate(IEnumerable<DateTimeOffset> history, DateTimeOffset now, RateLimitSet limits, RateLimitVoice voice = RateLimitVoice.Sender)
    {
        ArgumentNullException.ThrowIfNull(history);
        return Evaluate(history.Select(at => new RateLimitEvent(at, ByActor: false)), now, limits, _ => voice);
    }

    /// <summary>
    /// The same decision over a window several people share. The refusal speaks as <paramref name="sharedVoice"/> only when
    /// someone else's action is among those that filled the window; a sender who filled it alone reads "You have ...".
    /// </summary>
    public static PolicyViolation? Evaluate(IEnumerable<RateLimitEvent> history, DateTimeOffset now, RateLimitSet limits, RateLimitVoice sharedVoice)
    {
        ArgumentNullException.ThrowIfNull(history);
        return Evaluate(history, now, limits, inWindow => inWindow.All(e => e.ByActor) ? RateLimitVoice.Sender : sharedVoice);
    }

    private static PolicyViolation? Evaluate(IEnumerable<RateLimitEvent> history, DateTimeOffset now, RateLimitSet limits, Func<IEnumerable<RateLimitEvent>, RateLimitVoice> voiceFor)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var events = history.OrderBy(e => e.At).ToArray();
        var times = events.Select(e => e.At).ToArray();
        RateLimit? binding = null;
        var longestWait = TimeSpan.Zero;
        foreach (var limit in limits.Limits)
        {
            var wait = WaitFor(times, now, limit);
            if (wait > longestWait)
            {
                (binding, longestWait) = (limit, wait);
            }
        }

        if (binding is null)
        {
            return null;
        }

        var voice = voiceFor(events.Where(e => e.At > now - binding.Window));
        var message = $"{Who(voice)} {limits.Verb} {Quantity.Number(binding.Count)} {binding.Description}, the most allowed. "
            + $"You can {limits.NextAction} in {HumanDuration.Format(longestWait)}.";
        return new(limits.Code, limits.Advice is null ? message : $"{message} {limits.Advice}", longestWait);
    }

    // A patient's window holds the messages of everyone acting for them, so only a sender acting alone is told "You have sent".
    private static string Who(RateLimitVoice voice) => voice switch
    {
        RateLimitVoice.PatientWithProxies => "Together, you and those acting for you have",
        RateLimitVoice.ProxyForPatient => "Together, this patient and those acting for them have",
        _ => "You have",
    };

    /// <summary>The same evaluation with the general <c>rate_limited</c> code and wording about sending messages.</summary>
    public static PolicyViolation? Evaluate(IEnumerable<DateTimeOffset> history, DateTimeOffset now, IReadOnlyList<RateLimit> limits) =>
        Evaluate(history, now, new RateLimitSet(PolicyCodes.RateLimited, "sent", "send your next message", limits));

    /// <summary>The timestamps that can still count against a window no longer than <paramref name="longestWindow"/>, oldest first.</summary>
    public static IReadOnlyList<DateTimeOffset> Prune(IEnumerable<DateTimeOffset> history, DateTimeOffset now, TimeSpan longestWindow)
    {
        ArgumentNullException.ThrowIfNull(history);
        var windowStart = now - longestWindow;
        return history.Where(time => time > windowStart).Order().ToArray();
    }

    /// <summary>The timestamps that can still count against any of these limits, oldest first.</summary>
    public static IReadOnlyList<DateTimeOffset> Prune(IEnumerable<DateTimeOffset> history, DateTimeOffset now, RateLimitSet limits) =>
        Prune(history, now, limits.LongestWindow);

    // Timestamps after now still count: another node's clock may run slightly ahead, and the event did happen.
    private static TimeSpan WaitFor(DateTimeOffset[] ascending, DateTimeOffset now, RateLimit limit)
    {
        var windowStart = now - limit.Window;
        var first = Array.FindIndex(ascending, time => time > windowStart);
        var inWindow = first < 0 ? 0 : ascending.Length - first;
        if (inWindow < limit.Count)
        {
            return TimeSpan.Zero;
        }

        // Room opens once enough of the oldest events in the window have aged out of it.
        var mustLeave = ascending[first + inWindow - limit.Count];
        return mustLeave + limit.Window - now;
    }
}
