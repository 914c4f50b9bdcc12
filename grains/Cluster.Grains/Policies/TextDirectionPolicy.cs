using System.Text;

namespace Cluster.Grains.Policies;

/// <summary>
/// Bidirectional formatting characters a reader must be able to trust: invisible characters must not decide the order in
/// which numbers or words are shown. The overrides (U+202D, U+202E) are refused outright: they show characters in another
/// order than they were written ("10 mg &lt;RLO&gt;daily" reads "10 mg yliad"), and no script needs them. Embeddings
/// (U+202A, U+202B, closed by U+202C) and isolates (U+2066-U+2068, closed by U+2069) are how right-to-left text such as
/// Arabic or Hebrew is mixed with left-to-right text, so they are allowed when each is closed on the same line, properly
/// nested, and the letters directly inside it are of its direction only (one that forced Latin and Hebrew words into one
/// direction would reorder them). The marks U+200E (LRM), U+200F (RLM) and U+061C (ALM) act as an invisible letter of
/// their direction: one is allowed when it stands against a letter of its direction (it then changes nothing), or
/// when it lends its direction to the punctuation beside a letter of that direction ("C++&lt;LRM&gt;" in Hebrew text),
/// and refused when no letter beside it has its direction, or when it would decide the direction of the numbers after it
/// ("BP &lt;RLM&gt;120 / 80" shows "80 / 120").
/// </summary>
public static class TextDirectionPolicy
{
    private const char LeftToRightEmbedding = '\u202A';
    private const char RightToLeftEmbedding = '\u202B';
    private const char PopDirectionalFormatting = '\u202C';
    private const char LeftToRightOverride = '\u202D';
    private const char RightToLeftOverride = '\u202E';
    private const char LeftToRightIsolate = '\u2066';
    private const char RightToLeftIsolate = '\u2067';
    private const char FirstStrongIsolate = '\u2068';
    private const char PopDirectionalIsolate = '\u2069';
    private const char LeftToRightMark = '\u200E';
    private const char RightToLeftMark = '\u200F';
    private const char ArabicLetterMark = '\u061C';

    /// <summary>Null when the text shows as written; otherwise what is wrong, completing "hidden text-direction characters ...".</summary>
    public static string? Check(string text) => CheckScopes(text) ?? CheckMarks(text);

    private static string? CheckScopes(string text)
    {
        var open = new Stack<Scope>();
        foreach (var rune in text.EnumerateRunes())
        {
            var value = rune.Value;
            switch (value)
            {
                case LeftToRightOverride or RightToLeftOverride:
                    return "that reverse the order in which the text is shown";
                case LeftToRightEmbedding or RightToLeftEmbedding or LeftToRightIsolate or RightToLeftIsolate or FirstStrongIsolate:
                    open.Push(new Scope((char)value));
                    break;
                case PopDirectionalFormatting or PopDirectionalIsolate:
                    if (!open.TryPop(out var closed) || closed.Closer != value)
                    {
                        return "that close a direction that was never opened";
                    }

                    if (closed.HoldsBothDirections)
                    {
                        return "that set one direction for text written in both";
                    }

                    if (!closed.HoldsItsDirection)
                    {
                        return "that set a direction the text inside them does not have";
                    }

                    if (open.TryPeek(out var outer))
                    {
                        outer.Absorb(closed);
                    }

                    break;
                case '\n' or '\r' or 0x85 or 0x2029 or 0x1C or 0x1D or 0x1E:
                    // A paragraph break ends every embedding and isolate, so what was left open never closes.
                    if (open.Count > 0)
                    {
                        return "that are not closed on the same line";
                    }

                    break;
                default:
                    // A mark inside counts as a letter of its direction: it is one, to the reordering rules.
                    if (open.TryPeek(out var innermost) && DirectionOf(rune) is { } direction)
                    {
                        innermost.See(direction);
                    }

                    break;
            }
        }

        return open.Count > 0 ? "that are not closed" : null;
    }

    // One pass each way finds, for every position, the nearest letter (or line break) before and after it, and a running
    // count of digits, so each mark is judged in constant time however many marks and digits a text holds.
    private static string? CheckMarks(string text)
    {
        if (text.AsSpan().IndexOfAny(LeftToRightMark, RightToLeftMark, ArabicLetterMark) < 0)
        {
            return null;
        }

        var runes = text.EnumerateRunes().ToArray();
        var before = new int[runes.Length];
        var after = new int[runes.Length];
        var digits = new int[runes.Length + 1];
        for (int i = 0, stop = -1; i < runes.Length; i++)
        {
            before[i] = stop;
            digits[i + 1] = digits[i] + (Rune.IsDigit(runes[i]) ? 1 : 0);
            stop = IsLetter(runes[i]) || IsLineBreak(runes[i]) ? i : stop;
        }

        for (int i = runes.Length - 1, stop = runes.Length; i >= 0; i--)
        {
            after[i] = stop;
            stop = IsLetter(runes[i]) || IsLineBreak(runes[i]) ? i : stop;
        }

        for (var i = 0; i < runes.Length; i++)
        {
            if (IsMark(runes[i]) && JudgeMark(runes, i, before[i], after[i], digits[after[i]] - digits[i + 1]) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? JudgeMark(Rune[] runes, int mark, int before, int after, int digitsAfter)
    {
        var rightToLeft = runes[mark].Value != LeftToRightMark;

        // Against a letter of its own direction a mark adds nothing the letter did not already say.
        if (IsLetterOf(runes, mark - 1, rightToLeft) || IsLetterOf(runes, mark + 1, rightToLeft))
        {
            return null;
        }

        var sameAsBefore = IsLetterOf(runes, before, rightToLeft);
        if (!sameAsBefore && !IsLetterOf(runes, after, rightToLeft))
        {
            return "that give the text beside them a direction its letters do not have";
        }

        // Numbers take their direction from the letter before them; a mark of another direction takes that letter's place.
        return !sameAsBefore && digitsAfter > 0 ? "that change the order in which numbers are shown" : null;
    }

    private static bool IsLetterOf(Rune[] runes, int index, bool rightToLeft) =>
        index >= 0 && index < runes.Length && IsLetter(runes[index]) && IsRightToLeft(runes[index].Value) == rightToLeft;

    private static bool? DirectionOf(Rune rune) =>
        IsLetter(rune) ? IsRightToLeft(rune.Value) : IsMark(rune) ? rune.Value != LeftToRightMark : null;

    private static bool IsLetter(Rune rune) => Rune.IsLetter(rune);

    private static bool IsMark(Rune rune) => rune.Value is LeftToRightMark or RightToLeftMark or ArabicLetterMark;

    private static bool IsLineBreak(Rune rune) => rune.Value is '\n' or '\r' or 0x85 or 0x2029 or 0x1C or 0x1D or 0x1E;

    // The blocks of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, their presentation
    // forms, and the historic scripts of the supplementary planes); letters elsewhere are left-to-right.
    private static bool IsRightToLeft(int value) =>
        value is (>= 0x0590 and <= 0x08FF) or (>= 0xFB1D and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFF)
            or (>= 0x10800 and <= 0x10FFF) or (>= 0x1E800 and <= 0x1EFFF);

    private sealed class Scope(char opener)
    {
        // Letters directly inside decide whether the scope mixes directions; with those of nested scopes, whether it holds its own.
        private bool _ownLeftToRight;
        private bool _ownRightToLeft;
        private bool _leftToRight;
        private bool _rightToLeft;

        public int Closer => opener is LeftToRightEmbedding or RightToLeftEmbedding ? PopDirectionalFormatting : PopDirectionalIsolate;

        public bool HoldsBothDirections => _ownLeftToRight && _ownRightToLeft;

        public bool HoldsItsDirection => opener switch
        {
            LeftToRightEmbedding or LeftToRightIsolate => _leftToRight,
            RightToLeftEmbedding or RightToLeftIsolate => _rightToLeft,
            _ => true, // A first-strong isolate takes its direction from its own text.
        };

        public void See(bool rightToLeft)
        {
            _ownRightToLeft |= rightToLeft;
            _ownLeftToRight |= !rightToLeft;
            _rightToLeft |= rightToLeft;
            _leftToRight |= !rightToLeft;
        }

        public void Absorb(Scope inner)
        {
            _leftToRight |= inner._leftToRight;
            _rightToLeft |= inner._rightToLeft;
        }
    }
}
