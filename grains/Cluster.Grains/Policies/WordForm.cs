namespace Cluster.Grains.Policies;

/// <summary>
/// Word forms for red flags: a small suffix stripper for English and Spanish, so "hurts", "hurting" and "hurt" are
/// one word, and a one-letter typo test. The stripper is crude on purpose: rule words and message words go through
/// the same one, so it only has to be consistent, not linguistically right; irregular forms ("bled", "took") are
/// listed in the rules.
/// </summary>
internal static class WordForm
{
    /// <summary>Rule words this long or longer also match a message word one edit away; shorter ones do not.</summary>
    public const int TypoMinimumLength = 6;

    // Longest first within a family; one is stripped, and only if at least three letters remain.
    private static readonly string[] Suffixes = ["iendo", "ando", "ings", "ing", "ily", "ly", "ed", "es", "s", "y"];

    public static string Stem(string word)
    {
        if (word.Length <= 3 || !AllLetters(word))
        {
            return word;
        }

        var stem = word;
        foreach (var suffix in Suffixes)
        {
            if (stem.Length - suffix.Length >= 3 && stem.EndsWith(suffix, StringComparison.Ordinal) && Strippable(stem, suffix))
            {
                stem = stem[..^suffix.Length];
                break;
            }
        }

        // A final vowel that only marks gender or a silent e: "breathe" = "breath", "pecho" = "pech", "caida" = "caido".
        if (stem.Length > 3 && stem[^1] is 'e' or 'o' or 'a')
        {
            stem = stem[..^1];
        }

        // "slurred" and "slurring" both leave "slurr"; "pass" and "passed" both end as "pas".
        if (stem.Length > 3 && stem[^1] == stem[^2] && !IsVowel(stem[^1]))
        {
            stem = stem[..^1];
        }

        return stem;
    }

    /// <summary>True when the words differ by at most one substitution, insertion, deletion or swap of neighbours.</summary>
    public static bool WithinOneEdit(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1)
        {
            return false;
        }

        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        if (prefix == a.Length && prefix == b.Length)
        {
            return true;
        }

        var restA = a.AsSpan(prefix);
        var restB = b.AsSpan(prefix);
        return a.Length == b.Length
            ? restA[1..].SequenceEqual(restB[1..])
              || (restA.Length >= 2 && restA[0] == restB[1] && restA[1] == restB[0] && restA[2..].SequenceEqual(restB[2..]))
            : a.Length > b.Length
                ? restA[1..].SequenceEqual(restB)
                : restA.SequenceEqual(restB[1..]);
    }

    private static bool Strippable(string word, string suffix) => suffix switch
    {
        // "bleed", "need": the "ed" is the word itself.
        "ed" => word[^3] != 'e',
        // "pass", "less": the "s" is the word itself.
        "s" => word[^2] != 's',
        _ => true,
    };

    private static bool AllLetters(string word)
    {
        foreach (var c in word)
        {
            if (!char.IsLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
