namespace Cluster.Silo.Hosting;

/// <summary>How a node writes its log: one line per entry, so entries from several nodes grep and sort together.</summary>
public static class NodeLogging
{
    // The host logs a failed start with its stack trace; Program reports the failures it can explain in one
    // line, and any other one still ends the process with its stack trace on stderr.
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    public static ILoggingBuilder AddNodeConsole(this ILoggingBuilder logging) =>
        logging
            .AddFilter(HostCategory, LogLevel.Critical)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            });
}
