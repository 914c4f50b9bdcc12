using System.Globalization;

namespace Cluster.Grains.Policies;

/// <summary>Character caps and content rules for a message body and a conversation subject, counted as a person sees characters.</summary>
public static class TextLimitPolicy
{
    public const int DefaultMaxBody = 2000;
    public const int DefaultMaxSubject = 120;

    /// <summary>Returns why the body cannot be sent, or null when it can.</summary>
    public static PolicyViolation? CheckBody(string? body, int maxCharacters)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCharacters);
        if (IsBlank(body))
        {
            return new(PolicyCodes.MessageEmpty,
                "Your message is empty. Please write your question before sending.");
        }

        if (HasHiddenCharacters(body))
        {
            return new(PolicyCodes.MessageInvalidCharacters,
                "Your message contains hidden characters that cannot be sent, which can happen when text is copied and pasted. "
                + "Please retype the message and send it again.");
        }

        var length = CountCharacters(body);
        return length <= maxCharacters ? null : new(PolicyCodes.MessageTooLong,
            $"Your message is {Quantity.Of(length, "character", "characters")} long; the limit is {Quantity.Number(maxCharacters)}. "
            + $"Please shorten it by {Quantity.Of(length - maxCharacters, "character", "characters")}, "
            + "or split your questions into separate messages.");
    }

    /// <summary>Returns why the subject cannot be used, or null when it can.</summary>
    public static PolicyViolation? CheckSubject(string? subject, int maxCharacters)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCharacters);
        if (IsBlank(subject))
        {
            return new(PolicyCodes.SubjectEmpty,
                "Your message needs a subject. Please add a few words saying what it is about.");
        }

        if (HasLineBreak(subject))
        {
            return new(PolicyCodes.MessageInvalidCharacters,
                "The subject must fit on one line. Please remove the line breaks from it.");
        }

        if (HasHiddenCharacters(subject))
        {
            return new(PolicyCodes.MessageInvalidCharacters,
                "The subject contains hidden characters that cannot be sent. Please retype it.");
        }

        var length = CountCharacters(subject);
        return length <= maxCharacters ? null : new(PolicyCodes.SubjectTooLong,
            $"Your subject is {Quantity.Of(length, "character", "characters")} long; the limit is {Quantity.Number(maxCharacters)}. "
            + $"Please shorten it by {Quantity.Of(length - maxCharacters, "character", "characters")}.");
    }

    /// <summary>User-perceived characters (grapheme clusters): an emoji family or an accented letter counts once.</summary>
    public static int CountCharacters(string text) => new StringInfo(text).LengthInTextElements;

    // Blank means nothing a reader could see: whitespace, control and format characters (zero-width space, joiners, BOM).
    private static bool IsBlank([System.Diagnostics.CodeAnalysis.NotNullWhen(false)] string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && !char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)
            {
                return false;
            }
        }

        return true;
    }

    // Control characters other than line breaks and tabs, and broken surrogate halves, which the store could not encode.
    private static bool HasHiddenCharacters(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            {
                return true;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasLineBreak(string text) => text.AsSpan().IndexOfAny("\r\n\u0085\u2028\u2029") >= 0;
}
