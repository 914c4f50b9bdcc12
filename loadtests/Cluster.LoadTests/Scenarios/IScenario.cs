namespace Cluster.LoadTests.Scenarios;

/// <summary>A load-test scenario: sets up its users, runs its measured phases through the host, and adds its findings.</summary>
public interface IScenario
{
    Task RunAsync(ScenarioHost host, CancellationToken cancellationToken);

    public static IScenario For(string name) => name switch
    {
        "send" => new SendScenario(),
        "fanout" => new FanoutScenario(),
        "connections" => new ConnectionsScenario(),
        "baseline" => new BaselineScenario(),
        _ => throw new UsageException($"Unknown scenario '{name}'."),
    };
}
