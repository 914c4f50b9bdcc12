using System.Globalization;
using System.Text;

namespace Cluster.Grains.Policies;

/// <summary>
/// Folds text to the form red flags are matched in: lower case, no accents, no apostrophes ("can't" = "cant"),
/// every other run of punctuation or whitespace a single space.
/// </summary>
internal static class UrgencyText
{
    public static string Fold(string text)
    {
        var decomposed = WithoutBrokenSurrogates(text).Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.Format || IsApostrophe(c))
            {
                // Accents, invisible joiners and apostrophes vanish, so they cannot split a word in two.
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && folded.Length > 0)
                {
                    folded.Append(' ');
                }

                folded.Append(char.ToLowerInvariant(c));
                pendingSpace = false;
            }
            else
            {
                pendingSpace = true;
            }
        }

        return folded.ToString();
    }

    private static bool IsApostrophe(char c) => c is '\'' or '\u2019' or '\u2018' or '\u02BC' or '`' or '\u00B4' or '\u2032';

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
