using System.Globalization;
using System.Text;

namespace Cluster.Grains.Policies;

/// <summary>One word of a message as red flags see it: folded, its word form, and the clause it belongs to.</summary>
internal readonly record struct UrgencyToken(string Word, string Stem, int Clause);

/// <summary>
/// Folds text to the words red flags are matched on. Compatibility forms are unified (full-width and styled letters
/// become plain ones), invisible characters and accents vanish, look-alike Cyrillic and Greek letters become the Latin
/// ones they imitate, case is folded, apostrophes vanish ("can't" = "cant") and digits standing in for letters inside a
/// word are read as letters ("ch3st" = "chest"). Punctuation that ends a clause (. , ; : ! ? and line breaks) is kept
/// as a clause number, because a phrase, a window and a negation never reach across clauses. A zero-width character
/// between letters may hide a space ("chest\u200Bpain") or break up a word ("che\u200Bst"): the reading that yields
/// more words the detector knows wins, and joining wins a tie.
/// </summary>
internal static class UrgencyText
{
    // No built-in rule word is near this long (the longest has 14 letters): a longer join of pieces is never tried as
    // a word, which keeps a message with a zero-width character between every letter quick to read.
    private const int MaxJoinedLength = 20;

    private static readonly Dictionary<int, char> LookAlikes = BuildLookAlikes();

    /// <summary>
    /// The folded words of the text, in order; empty when it has none. <paramref name="isKnown"/> tells which words
    /// the detector reads, to decide where zero-width characters split words; without it they never do.
    /// </summary>
    public static List<UrgencyToken> Tokenize(string text, Predicate<UrgencyToken>? isKnown = null)
    {
        var tokens = new List<UrgencyToken>();
        var reader = new WordReader(tokens, isKnown);
        // Plain ASCII is already in compatibility form; skipping the normaliser saves most of the time on such text.
        var normalized = Ascii.IsValid(text) ? text : WithoutBrokenSurrogates(text).Normalize(NormalizationForm.FormKD);
        var word = reader.Current;
        foreach (var rune in normalized.EnumerateRunes())
        {
            switch (Classify(rune))
            {
                case CharKind.Invisible:
                    break;
                case CharKind.Letter:
                    AppendFolded(word, rune);
                    break;
                case CharKind.LetterSymbol:
                    word.Append((char)rune.Value);
                    break;
                case CharKind.MaybeSpace:
                    reader.EndPiece();
                    break;
                case CharKind.ClauseEnd:
                    reader.EndWord();
                    reader.Clause++;
                    break;
                default:
                    reader.EndWord();
                    break;
            }
        }

        reader.EndWord();
        return tokens;
    }

    /// <summary>One word of a rule, folded the way message words are; null when it is not exactly one word.</summary>
    public static string? FoldWord(string word)
    {
        var tokens = Tokenize(word);
        return tokens.Count == 1 ? tokens[0].Word : null;
    }

    private enum CharKind
    {
        Invisible,
        MaybeSpace,
        Letter,
        LetterSymbol,
        ClauseEnd,
        Separator,
    }

    private static CharKind Classify(Rune rune)
    {
        if (rune.IsAscii)
        {
            // Most messages are plain ASCII: decide without the Unicode tables.
            var c = (char)rune.Value;
            if (char.IsAsciiLetterOrDigit(c))
            {
                return CharKind.Letter;
            }

            if (c is ' ' or '-' or '/' or '\t')
            {
                return CharKind.Separator;
            }
        }

        if (rune.Value is '\'' or '\u2019' or '\u2018' or '\u02BC' or '`' or '\u00B4' or '\u2032')
        {
            // Apostrophes join "can't" into one word.
            return CharKind.Invisible;
        }

        if (rune.Value is '\u115F' or '\u1160' or '\u3164' or '\uFFA0' or (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF))
        {
            // Hangul fillers are blank letters and variation selectors change nothing in a letter: like zero-width
            // characters, they can only hide a space or break up a word.
            return CharKind.MaybeSpace;
        }

        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark:
                // Accents (after decomposition) belong to their letter.
                return CharKind.Invisible;
            case UnicodeCategory.Format:
                // Zero-width spaces and joiners, soft hyphens, BOMs and bidi controls show nothing.
                return CharKind.MaybeSpace;
            case UnicodeCategory.LowercaseLetter or UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.SpacingCombiningMark:
                return CharKind.Letter;
        }

        return rune.Value switch
        {
            '@' or '$' => CharKind.LetterSymbol,
            '.' or ',' or ';' or ':' or '!' or '?' or '\n' or '\r' or '\u2026' or '\u3002' or '\u00A1' or '\u00BF'
                or '(' or ')' or '[' or ']' or '\u2013' or '\u2014' or '"' or '\u201C' or '\u201D' => CharKind.ClauseEnd,
            _ => CharKind.Separator,
        };
    }

    private static void AppendFolded(StringBuilder word, Rune rune)
    {
        if (rune.IsAscii)
        {
            word.Append(char.ToLowerInvariant((char)rune.Value));
            return;
        }

        var lower = Rune.ToLowerInvariant(rune);
        if (LookAlikes.TryGetValue(rune.Value, out var latin) || LookAlikes.TryGetValue(lower.Value, out latin))
        {
            word.Append(latin);
            return;
        }

        Span<char> utf16 = stackalloc char[2];
        word.Append(utf16[..lower.EncodeToUtf16(utf16)]);
    }

    private static UrgencyToken? ToToken(string written, int clause)
    {
        var text = ReadDigitsAsLetters(written);
        return text.Length > 0 ? new UrgencyToken(text, WordForm.Stem(text), clause) : null;
    }

    /// <summary>Collects the pieces of one written word (split by zero-width characters) and turns them into tokens.</summary>
    private sealed class WordReader(List<UrgencyToken> tokens, Predicate<UrgencyToken>? isKnown)
    {
        private readonly List<string> _pieces = [];

        public StringBuilder Current { get; } = new();

        public int Clause { get; set; }

        public void EndPiece()
        {
            if (Current.Length > 0)
            {
                _pieces.Add(Current.ToString());
                Current.Clear();
            }
        }

        public void EndWord()
        {
            EndPiece();
            if (_pieces.Count == 1 || (_pieces.Count > 1 && isKnown is null))
            {
                Add(ToToken(string.Concat(_pieces), Clause));
            }
            else if (_pieces.Count > 1)
            {
                foreach (var token in BestReading())
                {
                    Add(token);
                }
            }

            _pieces.Clear();
        }

        private void Add(UrgencyToken? token)
        {
            if (token is { } found)
            {
                tokens.Add(found);
            }
        }

        // Splits the pieces into runs, each joined into one word, so that known words cover the most letters (counting
        // words would favour "a" and "i"), then into the fewest words. Runs longer than any rule word are not tried,
        // so the work stays linear in the number of pieces.
        private List<UrgencyToken> BestReading()
        {
            var n = _pieces.Count;
            var best = new (int Known, int Words, int From)[n + 1];
            Array.Fill(best, (-1, 0, 0), 1, n);
            var run = new StringBuilder();
            for (var from = 0; from < n; from++)
            {
                run.Clear();
                for (var end = from + 1; end <= n && (end == from + 1 || run.Length + _pieces[end - 1].Length <= MaxJoinedLength); end++)
                {
                    run.Append(_pieces[end - 1]);
                    var known = best[from].Known + (ToToken(run.ToString(), Clause) is { } token && isKnown!(token) ? token.Word.Length : 0);
                    var words = best[from].Words + 1;
                    if (known > best[end].Known || (known == best[end].Known && words < best[end].Words))
                    {
                        best[end] = (known, words, from);
                    }
                }
            }

            var reading = new List<UrgencyToken>();
            for (var end = n; end > 0; end = best[end].From)
            {
                if (ToToken(string.Concat(_pieces.GetRange(best[end].From, end - best[end].From)), Clause) is { } token)
                {
                    reading.Add(token);
                }
            }

            reading.Reverse();
            return reading;
        }
    }

    // "ch3st p@in" is a disguise; "911" and "50mg" are not words to read differently, so only words that have letters
    // and end in a letter are read this way ("2nd" and "50mg" end in letters but start with the digits: left alone).
    private static string ReadDigitsAsLetters(string word)
    {
        var hasLetter = false;
        var hasStandIn = false;
        foreach (var c in word)
        {
            hasLetter |= char.IsLetter(c);
            hasStandIn |= c is '0' or '1' or '3' or '4' or '5' or '7' or '@' or '$';
        }

        if (!hasStandIn)
        {
            return word;
        }

        if (!hasLetter || char.IsDigit(word[0]))
        {
            return word.Replace("@", "", StringComparison.Ordinal).Replace("$", "", StringComparison.Ordinal);
        }

        return string.Create(word.Length, word, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] switch
                {
                    '0' => 'o',
                    '1' => 'i',
                    '3' => 'e',
                    '4' or '@' => 'a',
                    '5' or '$' => 's',
                    '7' => 't',
                    var c => c,
                };
            }
        });
    }

    // Letters of other scripts that pass for Latin ones in a message: Cyrillic, Greek, Armenian and a few Latin
    // variants. Capitals are listed apart where they imitate another letter than their small form does (Greek Η is H, η is n).
    private static Dictionary<int, char> BuildLookAlikes()
    {
        var pairs = new (string From, char To)[]
        {
            ("аАɑα", 'a'), ("вВβΒьЬ", 'b'), ("сСϲς", 'c'), ("ԁԀ", 'd'), ("еЕёЁεΕ", 'e'), ("ɡ", 'g'),
            ("һНΗ", 'h'), ("іІїЇιΙıӀ", 'i'), ("јЈ", 'j'), ("кКκΚ", 'k'), ("ӏ", 'l'), ("мМΜ", 'm'), ("пηΝ", 'n'),
            ("оОοΟσօ", 'o'), ("рРρΡ", 'p'), ("ԛ", 'q'), ("гᴦ", 'r'), ("ѕЅ", 's'), ("тТτΤ", 't'), ("υսμ", 'u'),
            ("ν", 'v'), ("ԝωѡ", 'w'), ("хХχΧ", 'x'), ("уУγΥү", 'y'), ("Ζ", 'z'),
        };
        var map = new Dictionary<int, char>();
        foreach (var (from, to) in pairs)
        {
            foreach (var c in from)
            {
                map[c] = to;
            }
        }

        return map;
    }

    // Normalize throws on a lone surrogate half; a patient's message must never fail the urgency check for that.
    private static string WithoutBrokenSurrogates(string text)
    {
        if (!text.Any(char.IsSurrogate))
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }
}
