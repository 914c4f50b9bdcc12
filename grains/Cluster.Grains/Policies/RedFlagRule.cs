using System.Globalization;
using System.Text;

namespace Cluster.Grains.Policies;

/// <summary>How one word of a rule meets a message word.</summary>
internal enum WordMatch
{
    /// <summary>Any form of the word ("hurt" = "hurts" = "hurting"), or one typo away when the word is long.</summary>
    Form,

    /// <summary>Written "=word": this exact form only, or one typo away when it is long ("=fainted" is not "faint").</summary>
    Exact,

    /// <summary>Written "word*": any word that starts with it ("suicid*" = "suicidal", "suicidarme").</summary>
    Prefix,
}

internal sealed record RuleWord(string Word, string Stem, WordMatch Match);

/// <summary>One position of a phrase, met by any of its words ("cant|cannot").</summary>
internal sealed record RuleSlot(IReadOnlyList<RuleWord> Words);

/// <summary>Words that must follow each other, one per slot ("short of breath").</summary>
internal sealed record RulePart(IReadOnlyList<RuleSlot> Slots);

/// <summary>
/// A red flag read from its phrase. The form (documented in README.md and docs/protocol.md):
/// <list type="bullet">
/// <item>"short of breath": consecutive words, each in any of its forms ("breathing" = "breathe").</item>
/// <item>"cant|cannot breathe": alternatives for one word.</item>
/// <item>"chest + pain|hurt ~5": parts in any order, all within a window of 5 words (default 5).</item>
/// <item>"want|wish .. die|dead ~4": parts in this order within the window.</item>
/// <item>"=fainted" for this exact form, "suicid*" for any word starting so.</item>
/// </list>
/// No part reaches across a clause (. , ; : ! ? or a line break) or a "but".
/// </summary>
internal sealed class RedFlagRule
{
    public const int DefaultWindow = 5;
    private const int MaxWindow = 20;
    private const int MinPrefixLength = 4;

    private RedFlagRule(string category, IReadOnlyList<RulePart> parts, bool ordered, int window)
    {
        Category = category;
        Parts = parts;
        Ordered = ordered;
        Window = window;
    }

    public string Category { get; }

    public IReadOnlyList<RulePart> Parts { get; }

    /// <summary>True for "a .. b": each part starts after the one before ends.</summary>
    public bool Ordered { get; }

    /// <summary>The most words, first to last, that all parts may span together.</summary>
    public int Window { get; }

    /// <summary>Reads a flag's phrase; a phrase that cannot be read is an <see cref="ArgumentException"/> naming it.</summary>
    public static RedFlagRule Parse(RedFlag flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        ArgumentException.ThrowIfNullOrWhiteSpace(flag.Category, nameof(flag));
        var phrase = flag.Phrase ?? string.Empty;
        var (body, window) = SplitWindow(phrase);
        var unordered = body.Contains('+', StringComparison.Ordinal);
        var ordered = body.Contains("..", StringComparison.Ordinal);
        if (unordered && ordered)
        {
            throw Invalid(phrase, "it mixes '+' (any order) and '..' (in order)");
        }

        var parts = (ordered ? body.Split("..") : body.Split('+')).Select(part => ParsePart(phrase, part)).ToList();
        var words = parts.Sum(part => part.Slots.Count);
        if (parts.Count > 1 && words > (window ?? DefaultWindow))
        {
            throw Invalid(phrase, $"its {words} words do not fit in a window of {window ?? DefaultWindow}");
        }

        return new RedFlagRule(flag.Category.Trim(), parts, ordered, window ?? DefaultWindow);
    }

    private static (string Body, int? Window) SplitWindow(string phrase)
    {
        var tilde = phrase.LastIndexOf('~');
        if (tilde < 0)
        {
            return (phrase, null);
        }

        return int.TryParse(phrase.AsSpan(tilde + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var window) && window is > 0 and <= MaxWindow
            ? (phrase[..tilde], window)
            : throw Invalid(phrase, $"'~' must end it with a window of 1 to {MaxWindow} words");
    }

    private static RulePart ParsePart(string phrase, string part)
    {
        // Punctuation inside a part separates words ("one-sided" = "one sided"); apostrophes vanish when folded.
        var spaced = new StringBuilder(part.Length);
        foreach (var c in part)
        {
            spaced.Append(char.IsLetterOrDigit(c) || c is '|' or '*' or '=' or '\'' or '\u2019' || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.Format ? c : ' ');
        }

        var slots = spaced.ToString()
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(slot => new RuleSlot(slot.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(word => ParseWord(phrase, word)).ToList()))
            .ToList();
        return slots.Count > 0 && slots.All(slot => slot.Words.Count > 0)
            ? new RulePart(slots)
            : throw Invalid(phrase, "one of its parts has no letters or digits to match");
    }

    private static RuleWord ParseWord(string phrase, string written)
    {
        var match = written.StartsWith('=') ? WordMatch.Exact : written.EndsWith('*') ? WordMatch.Prefix : WordMatch.Form;
        var bare = written.Trim('=', '*');
        var word = bare.Contains('=') || bare.Contains('*') ? null : UrgencyText.FoldWord(bare);
        if (word is null)
        {
            throw Invalid(phrase, $"'{written}' is not one word");
        }

        if (match == WordMatch.Prefix && word.Length < MinPrefixLength)
        {
            throw Invalid(phrase, $"the prefix '{written}' is shorter than {MinPrefixLength} letters");
        }

        return new RuleWord(word, match == WordMatch.Form ? WordForm.Stem(word) : word, match);
    }

    private static ArgumentException Invalid(string phrase, string reason) =>
        new($"The red flag phrase '{phrase}' cannot be used: {reason}.");
}
