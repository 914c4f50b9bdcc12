using System.Globalization;

namespace Cluster.LoadTests;

/// <summary>A command line that cannot be run; the message says what to change.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>What one load-test run does, from the command line.</summary>
public sealed record LoadTestOptions
{
    public static readonly IReadOnlyList<string> Scenarios = ["send", "fanout", "connections", "baseline"];

    public const string Usage = """
        Usage: dotnet run -c Release --project loadtests/Cluster.LoadTests -- <scenario> [options]

        Scenarios:
          send          patients send to their clinicians; ack, delivery and read-confirmation latency
          fanout        messages to conversations watched by a pool of members spread over the nodes
          connections   opens and holds authenticated connections; drops and server memory per connection
          baseline      the ceilings only: bare echo hub and raw single-row inserts of the same database

        Target (default: an embedded node started by the run, SQLite):
          --cluster [N]             start N nodes (default 3) on PostgreSQL and Redis with scripts/cluster.sh
          --url URL[,URL...]        nodes already running (with Api__LoadTestEndpoints=true); needs --signing-key
          --signing-key KEY         the nodes' Auth:SigningKey (with --url); --issuer, --audience if not the defaults
          --database CONNECTION     (with --url) the nodes' database, for the raw-insert baseline

        Load:
          --rate N                  messages (or iterations) started per second, open model (default 50)
          --concurrency N           closed model instead: N clients, each sending back to back
          --duration SECONDS        measured time of each phase (default 30; also 30s, 2m)
          --ramp SECONDS            open model: ramp linearly from 0 to --rate over this long, then hold --rate
          --warmup SECONDS          load before measuring, excluded from results (default 5; a fresh node
                                    compiles its hot paths for about a minute: use 45 or more for figures)
          --max-in-flight N         open model guard: arrivals beyond N in flight count as generator.overloaded (default 10000)

        Scenario options:
          --patients N              send/fanout: patients, one conversation each (default 50; fanout 10)
          --clinicians N            send: clinicians the conversations are assigned to (default 10)
          --read-every N            send: every Nth message is marked read by the clinician (default 10; 0: never)
          --members N               fanout: care-team members watching the pool (default 50)
          --connections N           connections: connections to open and hold (default 1000)
          --source-addresses N      connections: 127.0.0.x source addresses to spread over (default: 1 per 20000)
          --traffic-interval SECONDS connections: each connection makes one call this often (default 10)
          --insert-concurrency N    baseline: raw-insert writers (default: --concurrency, else 32)
          --no-baseline             skip the same-run baseline phases (ratios are then not reported)
          --reports DIR             where reports/<run>/ goes (default ./reports)
        """;

    public required string Scenario { get; init; }

    public int? ClusterNodes { get; init; }

    public IReadOnlyList<Uri> Urls { get; init; } = [];

    public string? SigningKey { get; init; }

    public string Issuer { get; init; } = Client.TokenMinter.DefaultIssuer;

    public string Audience { get; init; } = Client.TokenMinter.DefaultAudience;

    public string? Database { get; init; }

    public int Rate { get; init; } = 50;

    public int? Concurrency { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan? Ramp { get; init; }

    public int MaxInFlight { get; init; } = 10_000;

    public int? Patients { get; init; }

    public int Clinicians { get; init; } = 10;

    public int ReadEvery { get; init; } = 10;

    public int Members { get; init; } = 50;

    public int Connections { get; init; } = 1000;

    public int? SourceAddresses { get; init; }

    public TimeSpan TrafficInterval { get; init; } = TimeSpan.FromSeconds(10);

    public int? InsertConcurrency { get; init; }

    public bool Baseline { get; init; } = true;

    public string ReportsDirectory { get; init; } = "reports";

    /// <summary>The command line as given, for the report.</summary>
    public IReadOnlyDictionary<string, string> Given { get; init; } = new Dictionary<string, string>();

    public int InsertWriters => InsertConcurrency ?? Concurrency ?? 32;

    public static LoadTestOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help")
        {
            throw new UsageException("Name a scenario.");
        }

        var scenario = args[0];
        if (!Scenarios.Contains(scenario))
        {
            throw new UsageException($"Unknown scenario '{scenario}'; choose one of {string.Join(", ", Scenarios)}.");
        }

        var options = new LoadTestOptions { Scenario = scenario };
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new UsageException($"{name} needs a value.");
                }

                return args[++i];
            }

            int Count(int minimum = 1)
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= minimum
                    ? n
                    : throw new UsageException($"{name} takes a whole number of at least {minimum}, not '{text}'.");
            }

            options = name switch
            {
                "--cluster" => options with
                {
                    ClusterNodes = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? Count() : 3,
                },
                "--url" => options with { Urls = [.. options.Urls, .. Value().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParseUrl)] },
                "--signing-key" => options with { SigningKey = Value() },
                "--issuer" => options with { Issuer = Value() },
                "--audience" => options with { Audience = Value() },
                "--database" => options with { Database = Value() },
                "--rate" => options with { Rate = Count() },
                "--concurrency" => options with { Concurrency = Count() },
                "--duration" => options with { Duration = Seconds(name, Value(), minimum: 1) },
                "--warmup" => options with { WarmUp = Seconds(name, Value(), minimum: 0) },
                "--ramp" => options with { Ramp = Seconds(name, Value(), minimum: 1) },
                "--max-in-flight" => options with { MaxInFlight = Count() },
                "--patients" => options with { Patients = Count() },
                "--clinicians" => options with { Clinicians = Count() },
                "--read-every" => options with { ReadEvery = Count(minimum: 0) },
                "--members" => options with { Members = Count() },
                "--connections" => options with { Connections = Count() },
                "--source-addresses" => options with { SourceAddresses = Count() },
                "--traffic-interval" => options with { TrafficInterval = Seconds(name, Value(), minimum: 1) },
                "--insert-concurrency" => options with { InsertConcurrency = Count() },
                "--no-baseline" => options with { Baseline = false },
                "--reports" => options with { ReportsDirectory = Value() },
                _ => throw new UsageException($"Unknown option '{name}'."),
            };
            given[name] = name == "--signing-key" ? "(given)" : i < args.Count && args[i] != name ? args[i] : "";
        }

        if (options.ClusterNodes is not null && options.Urls.Count > 0)
        {
            throw new UsageException("Choose --cluster or --url, not both.");
        }

        if (options.Urls.Count > 0 && string.IsNullOrEmpty(options.SigningKey))
        {
            throw new UsageException("--url needs --signing-key: the run mints its users' tokens with the nodes' key.");
        }

        if (options.SourceAddresses is > 250)
        {
            throw new UsageException("--source-addresses takes at most 250 (127.0.0.2 to 127.0.0.251).");
        }

        return options with { Given = given };
    }

    private static Uri ParseUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new UsageException($"--url takes http(s)://host:port addresses, not '{text}'.");

    private static TimeSpan Seconds(string name, string text, int minimum)
    {
        var (number, unit) = text.EndsWith('m') ? (text[..^1], 60) : text.EndsWith('s') ? (text[..^1], 1) : (text, 1);
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value * unit >= minimum
            ? TimeSpan.FromSeconds(value * unit)
            : throw new UsageException($"{name} takes seconds (such as 30, 30s or 2m), at least {minimum}, not '{text}'.");
    }
}
