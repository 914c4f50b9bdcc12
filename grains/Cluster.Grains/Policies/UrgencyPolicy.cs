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

    public UrgencyPolicy(IEnumerable<RedFlag> redFlags)
    {
        ArgumentNullException.ThrowIfNull(redFlags);
        _flags = new RedFlagMatcher(redFlags.Select(RedFlagRule.Parse).ToList(), UrgencyContext.NotTypos);
        _ordinary = new RedFlagMatcher(UrgencyContext.OrdinaryExpressions.Select(phrase => RedFlagRule.Parse(new RedFlag(phrase, "ordinary"))).ToList(), UrgencyContext.NotTypos);
    }

    /// <summary>The distinct categories whose flags occur in the text, in order of first occurrence; empty when none.</summary>
    public IReadOnlyList<string> Detect(string? text)
    {
        if (_flags.Rules.Count == 0 || string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var tokens = UrgencyText.Tokenize(text);
        var found = _flags.Find(tokens);
        if (found.Count == 0)
        {
            return [];
        }

        var ordinary = _ordinary.Find(tokens).Values.SelectMany(parts => parts).SelectMany(hits => hits ?? []).ToList();
        var context = new MatchContext(tokens, ordinary);
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
    private sealed class MatchContext(IReadOnlyList<UrgencyToken> tokens, List<PartHit> ordinary)
    {
        public bool SameClause(int from, int to) => tokens[from].Clause == tokens[to].Clause;

        /// <summary>
        /// False when a "but" splits the match, a negation or an animal sits between its parts or in the few words
        /// before it (up to a word like "if" or "sure" that ends the negation's reach; an "or" carries it on to the
        /// next item of a list), or an ordinary expression covers one of its words.
        /// </summary>
        public bool Counts(PartHit[] chosen, int start, int end)
        {
            for (var i = start; i <= end; i++)
            {
                if (!InPart(i, chosen) && (UrgencyContext.ClauseBreaks.Contains(tokens[i].Word) || UrgencyContext.Disclaims(tokens[i].Word)))
                {
                    return false;
                }
            }

            var reach = start - UrgencyContext.NegationReach;
            for (var i = start - 1; i >= 0 && i >= reach && tokens[i].Clause == tokens[start].Clause; i--)
            {
                if (UrgencyContext.ListJoins.Contains(tokens[i].Word))
                {
                    reach = i - UrgencyContext.NegationReach;
                    continue;
                }

                if (UrgencyContext.ClauseBreaks.Contains(tokens[i].Word) || UrgencyContext.EndsNegation.Contains(tokens[i].Word))
                {
                    break;
                }

                if (UrgencyContext.Disclaims(tokens[i].Word))
                {
                    return false;
                }
            }

            return !ordinary.Exists(expression => chosen.Any(part => expression.Start <= part.End && part.Start <= expression.End));
        }

        private static bool InPart(int index, PartHit[] chosen) => chosen.Any(part => part.Start <= index && index <= part.End);
    }
}
