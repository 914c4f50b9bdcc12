namespace Cluster.Grains.Policies;

/// <summary>
/// Finds red flags in a patient's message. The text is folded first (<see cref="UrgencyText"/>), then each flag's
/// rule (<see cref="RedFlagRule"/>) is looked for in word forms, with one-letter typos on long words. A match does not
/// count when it is negated ("no chest pain"), is about an animal ("my cat had a seizure") or is part of an ordinary
/// expression ("pain killer", "seizing up") — see <see cref="UrgencyContext"/>. Build one instance per flag list and
/// share it; reading a message is linear in its length.
/// </summary>
public sealed partial class UrgencyPolicy
{
    private readonly RedFlagMatcher _flags;
    private readonly RedFlagMatcher _ordinary;
    private readonly RedFlagMatcher _comparisons;

    public UrgencyPolicy(IEnumerable<RedFlag> redFlags)
    {
        ArgumentNullException.ThrowIfNull(redFlags);
        _flags = new RedFlagMatcher(redFlags.Select(RedFlagRule.Parse).ToList(), UrgencyContext.NotTypos);
        _ordinary = ContextMatcher(UrgencyContext.OrdinaryExpressions, "ordinary");
        _comparisons = ContextMatcher(UrgencyContext.Comparisons, "comparison");
    }

    /// <summary>The distinct categories whose flags occur in the text, in order of first occurrence; empty when none.</summary>
    public IReadOnlyList<string> Detect(string? text)
    {
        if (_flags.Rules.Count == 0 || string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var tokens = UrgencyText.Tokenize(text, IsReadWord);
        var found = _flags.Find(tokens);
        if (found.Count == 0)
        {
            return [];
        }

        var context = new MatchContext(tokens, Occurrences(_ordinary, tokens), Occurrences(_comparisons, tokens));
        var firstSeen = new List<(int Start, int Rule, string Category)>();
        foreach (var (rule, parts) in found)
        {
            if (parts.All(hits => hits is not null) && FirstCountingMatch(_flags.Rules[rule], parts, context) is { } start)
            {
                firstSeen.Add((start, rule, _flags.Rules[rule].Category));
            }
        }

        return firstSeen.OrderBy(f => f.Start).ThenBy(f => f.Rule).Select(f => f.Category).Distinct(StringComparer.Ordinal).ToList();
    }

    private static RedFlagMatcher ContextMatcher(IEnumerable<string> phrases, string category) =>
        new(phrases.Select(phrase => RedFlagRule.Parse(new RedFlag(phrase, category))).ToList(), UrgencyContext.NotTypos);

    // Every context phrase is one part, so each part occurrence is an occurrence of the phrase.
    private static List<PartHit> Occurrences(RedFlagMatcher matcher, List<UrgencyToken> tokens) =>
        matcher.Find(tokens).Values.SelectMany(parts => parts).SelectMany(hits => hits ?? []).ToList();

    // A word any rule or context phrase reads: where an invisible character could either join or split words, the
    // reading that yields more of these wins ("chest\u200Bpain" is two words, "che\u200Bst" one).
    private bool IsReadWord(UrgencyToken token) =>
        UrgencyContext.Negations.Contains(token.Word) || UrgencyContext.Animals.Contains(token.Word)
        || _flags.Knows(token) || _ordinary.Knows(token) || _comparisons.Knows(token);

    // The start of the earliest combination of part occurrences that fits the rule and is not negated, or null.
    // Each further part is looked for only among occurrences near the chosen ones, so the search stays small.
    private static int? FirstCountingMatch(RedFlagRule rule, List<PartHit>[] parts, MatchContext context)
    {
        int? best = null;
        var chosen = new PartHit[parts.Length];
        foreach (var first in parts[0])
        {
            chosen[0] = first;
            if (Search(rule, parts, 1, chosen, first.Start, first.End, context) is { } start && (best is null || start < best))
            {
                best = start;
            }
        }

        return best;
    }

    private static int? Search(RedFlagRule rule, List<PartHit>[] parts, int index, PartHit[] chosen, int min, int max, MatchContext context)
    {
        if (index == parts.Length)
        {
            return context.Counts(chosen, min, max) ? min : null;
        }

        int? best = null;
        var hits = parts[index];
        for (var h = FirstStartingAtOrAfter(hits, max - rule.Window + 1); h < hits.Count; h++)
        {
            var hit = hits[h];
            if (hit.Start > min + rule.Window - 1)
            {
                break;
            }

            var (newMin, newMax) = (Math.Min(min, hit.Start), Math.Max(max, hit.End));
            if (newMax - newMin + 1 > rule.Window || (rule.Ordered && hit.Start <= chosen[index - 1].End) || Overlaps(hit, chosen, index)
                || !context.SameClause(newMin, newMax))
            {
                continue;
            }

            chosen[index] = hit;
            if (Search(rule, parts, index + 1, chosen, newMin, newMax, context) is { } start && (best is null || start < best))
            {
                best = start;
            }
        }

        return best;
    }

    private static int FirstStartingAtOrAfter(List<PartHit> hits, int start)
    {
        var (low, high) = (0, hits.Count);
        while (low < high)
        {
            var middle = (low + high) / 2;
            (low, high) = hits[middle].Start < start ? (middle + 1, high) : (low, middle);
        }

        return low;
    }

    private static bool Overlaps(PartHit hit, PartHit[] chosen, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (hit.Start <= chosen[i].End && chosen[i].Start <= hit.End)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The message's words and its ordinary expressions, to judge whether one match counts.</summary>
    private sealed class MatchContext(IReadOnlyList<UrgencyToken> tokens, List<PartHit> ordinary, List<PartHit> comparisons)
    {
        public bool SameClause(int from, int to) => tokens[from].Clause == tokens[to].Clause;

        /// <summary>
        /// False when a "but" splits the match, a negation or an animal sits between its parts or in the few words
        /// before it (up to a word like "if" or "sure" that ends the negation's reach; an "or" carries it on over the
        /// item before it), or an ordinary expression covers one of its words. A match that holds a negation itself
        /// ("he isn't breathing") is not undone by another one before it ("no, he's not breathing").
        /// </summary>
        public bool Counts(PartHit[] chosen, int start, int end)
        {
            var ownNegation = false;
            for (var i = start; i <= end; i++)
            {
                if (InPart(i, chosen))
                {
                    ownNegation |= UrgencyContext.Negations.Contains(tokens[i].Word);
                }
                else if (UrgencyContext.ClauseBreaks.Contains(tokens[i].Word) || UrgencyContext.Animals.Contains(tokens[i].Word) || Denies(i, end))
                {
                    return false;
                }
            }

            var reach = start - UrgencyContext.NegationReach;
            for (var i = start - 1; i >= 0 && i >= reach && tokens[i].Clause == tokens[start].Clause; i--)
            {
                if (UrgencyContext.ListJoins.Contains(tokens[i].Word))
                {
                    reach = i - UrgencyContext.ListItemReach;
                    continue;
                }

                if (UrgencyContext.ClauseBreaks.Contains(tokens[i].Word) || UrgencyContext.EndsNegation.Contains(tokens[i].Word))
                {
                    break;
                }

                if (UrgencyContext.Animals.Contains(tokens[i].Word) || (!ownNegation && Denies(i, end)))
                {
                    return false;
                }
            }

            return !ordinary.Exists(expression => chosen.Any(part => expression.Start <= part.End && part.Start <= expression.End));
        }

        // A negation denies, unless it is a "never" (or "not ever") that a comparison after it, in its clause and close
        // to the match, turns into a report: "I've never had chest pain like this".
        private bool Denies(int negation, int matchEnd)
        {
            var word = tokens[negation].Word;
            if (!UrgencyContext.Negations.Contains(word))
            {
                return false;
            }

            var never = UrgencyContext.Never.Contains(word) || (negation + 1 < tokens.Count && tokens[negation + 1].Word == "ever");
            return !never || !comparisons.Exists(comparison => comparison.Start > negation
                && comparison.Start <= matchEnd + UrgencyContext.ComparisonReach
                && tokens[comparison.Start].Clause == tokens[negation].Clause);
        }

        private static bool InPart(int index, PartHit[] chosen) => chosen.Any(part => part.Start <= index && index <= part.End);
    }
}
