using System.Globalization;
using System.Text;

namespace Cluster.Grains.Policies;

/// <summary>Character caps and content rules for a message body and a conversation subject, counted as a person sees characters.</summary>
public static class TextLimitPolicy
{
    public const int DefaultMaxBody = 2000;
    public const int DefaultMaxSubject = 120;

    /// <summary>
    /// The most UTF-16 code units one user-perceived character may take. The longest emoji sequences take 15 (a kiss with
    /// skin tones) and stacked accents in real scripts far fewer; without a bound, one "character" could carry any number of
    /// combining marks, and the frame and body limits that are sized from the caps could not hold a full-length message.
    /// </summary>
    public const int MaxCodeUnitsPerCharacter = 32;

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

        if (TextDirectionPolicy.Check(body) is { } direction)
        {
            return new(PolicyCodes.MessageInvalidCharacters,
                $"Your message contains hidden text-direction characters {direction}, so a reader would not see it as you wrote it. "
                + "Please retype the message without them and send it again.");
        }

        if (!Measure(body, out var length))
        {
            return new(PolicyCodes.MessageInvalidCharacters, StackedMarks("Your message"));
        }

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

        if (TextDirectionPolicy.Check(subject) is { } direction)
        {
            return new(PolicyCodes.MessageInvalidCharacters,
                $"The subject contains hidden text-direction characters {direction}, so a reader would not see it as you wrote it. Please retype it.");
        }

        if (!Measure(subject, out var length))
        {
            return new(PolicyCodes.MessageInvalidCharacters, StackedMarks("The subject"));
        }

        return length <= maxCharacters ? null : new(PolicyCodes.SubjectTooLong,
            $"Your subject is {Quantity.Of(length, "character", "characters")} long; the limit is {Quantity.Number(maxCharacters)}. "
            + $"Please shorten it by {Quantity.Of(length - maxCharacters, "character", "characters")}.");
    }

    /// <summary>User-perceived characters (grapheme clusters): an emoji family or an accented letter counts once.</summary>
    public static int CountCharacters(string text) => new StringInfo(text).LengthInTextElements;

    private static string StackedMarks(string what) =>
        $"{what} contains a character with too many accents or marks stacked on it to be shown. Please retype it and send it again.";

    // Counts user-perceived characters; false when one of them is longer than any real character needs to be.
    private static bool Measure(string text, out int characters)
    {
        characters = 0;
        for (var rest = text.AsSpan(); !rest.IsEmpty; characters++)
        {
            var next = StringInfo.GetNextTextElementLength(rest);
            if (next > MaxCodeUnitsPerCharacter)
            {
                return false;
            }

            rest = rest[next..];
        }

        return true;
    }

    // Blank means nothing a reader could see: whitespace, control and format characters (zero-width space, joiners, BOM,
    // tags), marks with nothing to sit on, variation selectors, and the letters and symbols that render as empty space.
    private static bool IsBlank([System.Diagnostics.CodeAnalysis.NotNullWhen(false)] string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        foreach (var rune in text.EnumerateRunes())
        {
            if (!IsInvisible(rune))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsInvisible(Rune rune)
    {
        if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune) || IsBlankGlyph(rune.Value))
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark;
    }

    // Hangul fillers (U+115F, U+1160, U+3164, U+FFA0) and the blank Braille pattern (U+2800) are letters and symbols that draw nothing.
    private static bool IsBlankGlyph(int value) => value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800;

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
