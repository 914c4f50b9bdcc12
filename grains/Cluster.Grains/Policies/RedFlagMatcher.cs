namespace Cluster.Grains.Policies;

/// <summary>Where one rule part stands in a message: tokens <see cref="Start"/> to <see cref="End"/>, inclusive.</summary>
internal readonly record struct PartHit(int Start, int End);

/// <summary>
/// Finds where the parts of many rules occur in a tokenised message. Every rule word is indexed by its form, its exact
/// spelling, its prefix or (for long words) its one-letter deletions, so a message is read once, word by word, with a
/// few dictionary look-ups per word: linear in its length, no backtracking.
/// </summary>
internal sealed class RedFlagMatcher
{
    private const int TypoMinimumTextLength = 5;

    private readonly Dictionary<string, List<int>> _byStem = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _byWord = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(int Slot, RuleWord Word)>> _byTypoKey = new(StringComparer.Ordinal);
    private readonly List<(string Prefix, int Slot)> _prefixes = [];
    private readonly HashSet<string> _notTypos;
    private readonly (int Rule, int Part, int Position)[] _slots;
    private readonly Dictionary<char, List<RuleWord>> _typoWordsByFirstLetter = [];
    private int _longestTypoWord;

    public RedFlagMatcher(IReadOnlyList<RedFlagRule> rules, IEnumerable<string> notTypos)
    {
        Rules = rules;
        _notTypos = new HashSet<string>(notTypos, StringComparer.Ordinal);
        var slots = new List<(int, int, int)>();
        for (var r = 0; r < rules.Count; r++)
        {
            for (var p = 0; p < rules[r].Parts.Count; p++)
            {
                for (var s = 0; s < rules[r].Parts[p].Slots.Count; s++)
                {
                    foreach (var word in rules[r].Parts[p].Slots[s].Words)
                    {
                        Index(slots.Count, word);
                    }

                    slots.Add((r, p, s));
                }
            }
        }

        _slots = [.. slots];
    }

    public IReadOnlyList<RedFlagRule> Rules { get; }

    /// <summary>For each rule touched by the message, the occurrences of each of its parts (sorted by start).</summary>
    public Dictionary<int, List<PartHit>[]> Find(IReadOnlyList<UrgencyToken> tokens)
    {
        var slotsAt = SlotsPerToken(tokens);
        var found = new Dictionary<int, List<PartHit>[]>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (slotsAt[i] is not { } here)
            {
                continue;
            }

            foreach (var slot in here)
            {
                var (rule, part, position) = _slots[slot];
                if (position != 0 || !PartMatchesAt(rule, part, slot, i, tokens, slotsAt))
                {
                    continue;
                }

                if (!found.TryGetValue(rule, out var parts))
                {
                    parts = new List<PartHit>[Rules[rule].Parts.Count];
                    found[rule] = parts;
                }

                (parts[part] ??= []).Add(new PartHit(i, i + Rules[rule].Parts[part].Slots.Count - 1));
            }
        }

        return found;
    }

    /// <summary>True when the word meets a word of some rule, in any of the ways <see cref="Find"/> would.</summary>
    public bool Knows(UrgencyToken token)
    {
        if (_byStem.ContainsKey(token.Stem) || _byWord.ContainsKey(token.Word) || _prefixes.Exists(p => token.Word.StartsWith(p.Prefix, StringComparison.Ordinal)))
        {
            return true;
        }

        // A typo keeps the first letter, so only rule words starting with it need a look; nothing is allocated.
        return MayBeTypo(token.Word) && _typoWordsByFirstLetter.TryGetValue(token.Word[0], out var words) && words.Exists(word => IsTypoOf(token, word));
    }

    // Slot ids of one part are consecutive, so the slot at position k is the first slot plus k.
    private bool PartMatchesAt(int rule, int part, int firstSlot, int start, IReadOnlyList<UrgencyToken> tokens, HashSet<int>?[] slotsAt)
    {
        var length = Rules[rule].Parts[part].Slots.Count;
        if (start + length > tokens.Count)
        {
            return false;
        }

        for (var k = 1; k < length; k++)
        {
            if (tokens[start + k].Clause != tokens[start].Clause || slotsAt[start + k] is not { } next || !next.Contains(firstSlot + k))
            {
                return false;
            }
        }

        return true;
    }

    private HashSet<int>?[] SlotsPerToken(IReadOnlyList<UrgencyToken> tokens)
    {
        var result = new HashSet<int>?[tokens.Count];
        var seen = new Dictionary<string, HashSet<int>?>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!seen.TryGetValue(tokens[i].Word, out var slots))
            {
                slots = SlotsOf(tokens[i]);
                seen[tokens[i].Word] = slots;
            }

            result[i] = slots;
        }

        return result;
    }

    private HashSet<int>? SlotsOf(UrgencyToken token)
    {
        HashSet<int>? slots = null;
        AddAll(ref slots, _byStem.GetValueOrDefault(token.Stem));
        AddAll(ref slots, _byWord.GetValueOrDefault(token.Word));
        foreach (var (prefix, slot) in _prefixes)
        {
            if (token.Word.StartsWith(prefix, StringComparison.Ordinal))
            {
                (slots ??= []).Add(slot);
            }
        }

        if (MayBeTypo(token.Word))
        {
            foreach (var key in KeysOf(token.Word))
            {
                foreach (var (slot, word) in _byTypoKey.GetValueOrDefault(key) ?? [])
                {
                    if (IsTypoOf(token, word))
                    {
                        (slots ??= []).Add(slot);
                    }
                }
            }
        }

        return slots;
    }

    // One edit changes the length by one at most: longer words cannot be typos of a rule word.
    private bool MayBeTypo(string word) =>
        word.Length >= TypoMinimumTextLength && word.Length <= _longestTypoWord + 1 && !_notTypos.Contains(word);

    // Spelling against spelling, first and last letters kept: typos fall mostly inside a word, while real words one
    // letter from a rule word mostly differ at an end ("painted" and "fainted", "overdone" and "overdose").
    private static bool IsTypoOf(UrgencyToken token, RuleWord word) =>
        token.Word[0] == word.Word[0] && token.Word[^1] == word.Word[^1] && WordForm.WithinOneEdit(token.Word, word.Word);

    private void Index(int slot, RuleWord word)
    {
        switch (word.Match)
        {
            case WordMatch.Prefix:
                _prefixes.Add((word.Word, slot));
                return;
            case WordMatch.Exact:
                Add(_byWord, word.Word, slot);
                break;
            default:
                Add(_byStem, word.Stem, slot);
                break;
        }

        if (word.Word.Length < WordForm.TypoMinimumLength)
        {
            return;
        }

        _longestTypoWord = Math.Max(_longestTypoWord, word.Word.Length);
        if (!_typoWordsByFirstLetter.TryGetValue(word.Word[0], out var sameStart))
        {
            _typoWordsByFirstLetter[word.Word[0]] = sameStart = [];
        }

        sameStart.Add(word);
        foreach (var key in KeysOf(word.Word).Distinct())
        {
            if (!_byTypoKey.TryGetValue(key, out var entries))
            {
                _byTypoKey[key] = entries = [];
            }

            if (!entries.Contains((slot, word)))
            {
                entries.Add((slot, word));
            }
        }
    }

    // A word and each of its one-letter deletions: two words one edit apart always share one of these keys.
    private static IEnumerable<string> KeysOf(string word)
    {
        yield return word;
        for (var i = 0; i < word.Length; i++)
        {
            yield return string.Concat(word.AsSpan(0, i), word.AsSpan(i + 1));
        }
    }

    private static void Add(Dictionary<string, List<int>> index, string key, int slot)
    {
        if (!index.TryGetValue(key, out var slots))
        {
            index[key] = slots = [];
        }

        slots.Add(slot);
    }

    private static void AddAll(ref HashSet<int>? slots, List<int>? more)
    {
        if (more is not null)
        {
            (slots ??= []).UnionWith(more);
        }
    }
}
