using System.Text.RegularExpressions;

namespace Cluster.Grains.Policies;

/// <summary>
/// Finds red-flag phrases in a patient's message: whole words, ignoring case, accents, punctuation and apostrophes.
/// Build one instance per flag list and share it; the pattern is compiled once.
/// </summary>
public sealed partial class UrgencyPolicy
{
    // Folded text has only letters, digits and single spaces, so the pattern cannot backtrack badly and a match takes
    // microseconds; the timeout is a backstop, generous because it counts wall-clock time on a possibly busy node.
    // A constant, not a static field: the shared Default instance is built by an initialiser in the other part of this class.
    private const int MatchTimeoutMilliseconds = 2000;

    private readonly Regex? _pattern;
    private readonly Dictionary<string, string[]> _categoriesByPhrase;

    public UrgencyPolicy(IEnumerable<RedFlag> redFlags)
    {
        ArgumentNullException.ThrowIfNull(redFlags);
        _categoriesByPhrase = redFlags
            .Select(flag => (Phrase: FoldPhrase(flag), flag.Category))
            .GroupBy(flag => flag.Phrase, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(flag => flag.Category).Distinct().ToArray(), StringComparer.Ordinal);
        if (_categoriesByPhrase.Count == 0)
        {
            return;
        }

        // Longest first, so a longer phrase wins over a shorter one that starts at the same place.
        var alternation = string.Join('|', _categoriesByPhrase.Keys
            .OrderByDescending(phrase => phrase.Length)
            .ThenBy(phrase => phrase, StringComparer.Ordinal)
            .Select(Regex.Escape));
        _pattern = new Regex(
            $@"(?<![\p{{L}}\p{{N}}])(?:{alternation})(?![\p{{L}}\p{{N}}])",
            RegexOptions.CultureInvariant | RegexOptions.Compiled | RegexOptions.ExplicitCapture,
            TimeSpan.FromMilliseconds(MatchTimeoutMilliseconds));
        WarmUp(_pattern, _categoriesByPhrase.Keys.First());
    }

    /// <summary>The distinct categories whose phrases occur in the text, in order of first occurrence; empty when none.</summary>
    public IReadOnlyList<string> Detect(string? text)
    {
        if (_pattern is null || string.IsNullOrEmpty(text))
        {
            return [];
        }

        var folded = UrgencyText.Fold(text);
        var categories = new List<string>();
        // Restart one character after each match rather than after its end, so overlapping phrases are all seen.
        for (var match = _pattern.Match(folded); match.Success; match = _pattern.Match(folded, match.Index + 1))
        {
            foreach (var category in _categoriesByPhrase[match.Value])
            {
                if (!categories.Contains(category))
                {
                    categories.Add(category);
                }
            }
        }

        return categories;
    }

    // The compiled matcher is JIT-compiled during its first match, inside the timeout: pay for that here, not on a
    // patient's message. A timeout here only means the machine is slow; the compiled code is ready either way.
    private static void WarmUp(Regex pattern, string phrase)
    {
        try
        {
            pattern.IsMatch(phrase);
        }
        catch (RegexMatchTimeoutException)
        {
        }
    }

    private static string FoldPhrase(RedFlag flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        ArgumentException.ThrowIfNullOrWhiteSpace(flag.Category, nameof(flag));
        var folded = UrgencyText.Fold(flag.Phrase ?? string.Empty);
        return folded.Length > 0
            ? folded
            : throw new ArgumentException($"The red flag phrase '{flag.Phrase}' has no letters or digits to match.", nameof(flag));
    }
}
