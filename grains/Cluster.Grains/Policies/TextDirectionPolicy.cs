using System.Text;

namespace Cluster.Grains.Policies;

/// <summary>
/// Bidirectional formatting characters a reader must be able to trust. The overrides (U+202D, U+202E) are refused outright:
/// they show characters in another order than they were written ("10 mg <RLO>daily" reads "10 mg yliad"), and no script
/// needs them. Embeddings (U+202A, U+202B, closed by U+202C) and isolates (U+2066-U+2068, closed by U+2069) are how
/// right-to-left text such as Arabic or Hebrew is mixed with left-to-right text, so they are allowed when each is closed
/// on the same line, properly nested, and a left-to-right one holds a left-to-right letter and a right-to-left one a
/// right-to-left letter (an isolate forcing Latin text right-to-left would reorder its words). The marks U+200E, U+200F
/// and U+061C reorder nothing on their own and are always allowed.
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

    /// <summary>Null when the text shows as written; otherwise what is wrong, completing "hidden text-direction characters ...".</summary>
    public static string? Check(string text)
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
                    if (open.TryPeek(out var innermost) && Rune.IsLetter(rune))
                    {
                        innermost.See(IsRightToLeft(value));
                    }

                    break;
            }
        }

        return open.Count > 0 ? "that are not closed" : null;
    }

    // The blocks of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, their presentation
    // forms, and the historic scripts of the supplementary planes); letters elsewhere are left-to-right.
    private static bool IsRightToLeft(int value) =>
        value is (>= 0x0590 and <= 0x08FF) or (>= 0xFB1D and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFF)
            or (>= 0x10800 and <= 0x10FFF) or (>= 0x1E800 and <= 0x1EFFF);

    private sealed class Scope(char opener)
    {
        private bool _leftToRight;
        private bool _rightToLeft;

        public int Closer => opener is LeftToRightEmbedding or RightToLeftEmbedding ? PopDirectionalFormatting : PopDirectionalIsolate;

        public bool HoldsItsDirection => opener switch
        {
            LeftToRightEmbedding or LeftToRightIsolate => _leftToRight,
            RightToLeftEmbedding or RightToLeftIsolate => _rightToLeft,
            _ => true, // A first-strong isolate takes its direction from its own text.
        };

        public void See(bool rightToLeft)
        {
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
