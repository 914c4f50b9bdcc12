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
/// as a clause number, because a phrase, a window and a negation never reach across clauses.
/// </summary>
internal static class UrgencyText
{
    private static readonly Dictionary<int, char> LookAlikes = BuildLookAlikes();

    /// <summary>The folded words of the text, in order; empty when it has none.</summary>
    public static List<UrgencyToken> Tokenize(string text)
    {
        var tokens = new List<UrgencyToken>();
        // Plain ASCII is already in compatibility form; skipping the normaliser saves most of the time on such text.
        var normalized = Ascii.IsValid(text) ? text : WithoutBrokenSurrogates(text).Normalize(NormalizationForm.FormKD);
        var word = new StringBuilder();
        var clause = 0;
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
                case CharKind.ClauseEnd:
                    Flush(word, clause, tokens);
                    clause++;
                    break;
                default:
                    Flush(word, clause, tokens);
                    break;
            }
        }

        Flush(word, clause, tokens);
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

        if (rune.Value is '\'' or '\u2019' or '\u2018' or '\u02BC' or '`' or '\u00B4' or '\u2032' or '\u115F' or '\u1160' or '\u3164' or '\uFFA0')
        {
            // Apostrophes join "can't" into one word; Hangul fillers are blank letters that would split one.
            return CharKind.Invisible;
        }

        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format:
                // Accents (after decomposition), variation selectors, zero-width characters, soft hyphens, BOMs and
                // bidi controls: none can split a word or change how it reads.
                return CharKind.Invisible;
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

    private static void Flush(StringBuilder word, int clause, List<UrgencyToken> tokens)
    {
        if (word.Length == 0)
        {
            return;
        }

        var text = ReadDigitsAsLetters(word.ToString());
        word.Clear();
        if (text.Length > 0)
        {
            tokens.Add(new UrgencyToken(text, WordForm.Stem(text), clause));
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
