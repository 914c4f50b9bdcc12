using Microsoft.Extensions.Options;

namespace Cluster.Silo.Hosting;

/// <summary>
/// The one place that turns a failed start-up into a line on stderr and an exit code: 2 for a configuration
/// that cannot work, 1 for a valid configuration the node could not start with (storage that cannot be prepared).
/// </summary>
public static class StartupFailure
{
    public const int ConfigurationExitCode = 2;
    public const int StartExitCode = 1;

    /// <summary>True for the failures whose message is the whole story, so a stack trace would add nothing.</summary>
    public static bool IsExplained(Exception exception) => Explain(exception) is not null;

    /// <summary>Writes the one-line reason and returns the process exit code.</summary>
    public static int Report(Exception exception, TextWriter error)
    {
        var (reason, exitCode) = Explain(exception) ?? (exception.Message, StartExitCode);
        var prefix = exitCode == ConfigurationExitCode ? "Configuration error" : "Start-up failed";
        error.WriteLine($"{prefix}: {reason.ReplaceLineEndings(" ")}");
        return exitCode;
    }

    private static (string Reason, int ExitCode)? Explain(Exception exception) => exception switch
    {
        // The validators write one sentence per problem, naming the setting.
        OptionsValidationException validation => (string.Join(" ", validation.Failures), ConfigurationExitCode),

        // A value of the wrong type ("Oracle" for the storage provider): the binder names the setting, its inner exception the value.
        InvalidOperationException binding when binding.Source == "Microsoft.Extensions.Configuration.Binder" =>
            (binding.InnerException is { } inner ? $"{binding.Message} {inner.Message}" : binding.Message, ConfigurationExitCode),

        // An appsettings file that is not valid JSON: the outer message names the file, the innermost one the place.
        InvalidDataException file => ($"{file.Message} {file.GetBaseException().Message}", ConfigurationExitCode),

        // Several options classes failed at once; still one line, as long as every part is a configuration problem.
        AggregateException aggregate when aggregate.InnerExceptions.All(e => Explain(e) is (_, ConfigurationExitCode)) =>
            (string.Join(" ", aggregate.InnerExceptions.Select(e => Explain(e)!.Value.Reason)), ConfigurationExitCode),

        // The runtime's own refusals at start, such as storage that cannot be prepared, are sentences meant for operators.
        InvalidOperationException runtime when runtime.Source == "Cluster.Runtime" => (runtime.Message, StartExitCode),
        _ => null,
    };
}
