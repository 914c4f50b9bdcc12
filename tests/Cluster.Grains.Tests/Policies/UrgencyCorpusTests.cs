using System.Globalization;
using System.Text;
using Cluster.Grains.Policies;
using Xunit.Abstractions;

namespace Cluster.Grains.Tests.Policies;

/// <summary>
/// The red-flag detector against two corpora of patient messages (Corpus/urgent.txt, Corpus/ordinary.txt): every
/// urgent one is flagged with its category, no ordinary one is flagged. Add a line to a file to pin a new case.
/// </summary>
public sealed class UrgencyCorpusTests(ITestOutputHelper output)
{
    private static readonly UrgencyPolicy Policy = UrgencyPolicy.Default;

    public static TheoryData<string, string> Urgent { get; } = ToTheory(Lines("urgent.txt").Select(ToUrgent));

    public static TheoryData<string> Ordinary { get; } = ToTheory(Lines("ordinary.txt"));

    [Theory]
    [MemberData(nameof(Urgent))]
    public void AnUrgentMessageIsFlaggedWithItsCategory(string category, string message)
    {
        Assert.Contains(category, Policy.Detect(message));
    }

    [Theory]
    [MemberData(nameof(Ordinary))]
    public void AnOrdinaryMessageIsNotFlagged(string message)
    {
        Assert.Empty(Policy.Detect(message));
    }

    [Fact]
    public void EveryUrgentMessageIsDetectedAndNoOrdinaryOneIsFlagged()
    {
        var urgent = Lines("urgent.txt").Select(ToUrgent).ToList();
        var ordinary = Lines("ordinary.txt").ToList();

        var missed = urgent.Where(u => !Policy.Detect(u.Message).Contains(u.Category)).Select(u => u.Message).ToList();
        var flagged = ordinary.Where(message => Policy.Detect(message).Count > 0).ToList();

        output.WriteLine($"urgent: {urgent.Count - missed.Count}/{urgent.Count} detected; ordinary: {flagged.Count}/{ordinary.Count} flagged");
        Assert.True(urgent.Count >= 100, $"The urgent corpus has only {urgent.Count} messages.");
        Assert.True(ordinary.Count >= 60, $"The ordinary corpus has only {ordinary.Count} messages.");
        Assert.True(urgent.Any(u => u.Message.Any(c => c > '\u007F')), "The urgent corpus has no disguised or Spanish message.");
        Assert.Empty(missed);
        Assert.Empty(flagged);
    }

    private static (string Category, string Message) ToUrgent(string line)
    {
        var bar = line.IndexOf('|', StringComparison.Ordinal);
        Assert.True(bar > 0, $"'{line}' has no 'category |' in front.");
        return (line[..bar].Trim(), line[(bar + 1)..].Trim());
    }

    // Non-empty lines that are not comments, with each \uXXXX turned into its character.
    private static IEnumerable<string> Lines(string file) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Policies", "Corpus", file))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(Unescape);

    private static string Unescape(string line)
    {
        var text = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 5 < line.Length && line[i + 1] == 'u'
                && int.TryParse(line.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                text.Append((char)code);
                i += 5;
            }
            else
            {
                text.Append(line[i]);
            }
        }

        return text.ToString();
    }

    private static TheoryData<string, string> ToTheory(IEnumerable<(string, string)> rows)
    {
        var data = new TheoryData<string, string>();
        foreach (var (a, b) in rows)
        {
            data.Add(a, b);
        }

        return data;
    }

    private static TheoryData<string> ToTheory(IEnumerable<string> rows)
    {
        var data = new TheoryData<string>();
        foreach (var row in rows)
        {
            data.Add(row);
        }

        return data;
    }
}
