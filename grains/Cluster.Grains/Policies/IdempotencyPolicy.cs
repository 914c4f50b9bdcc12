using System.Buffers;
using System.Text;

namespace Cluster.Grains.Policies;

/// <summary>
/// Whether a send under a client message id the sender already used is a retry of the original (answered with it) or a
/// different message (refused, so a changed message is never mistaken for a retry and silently dropped). Text is the
/// same when it is equal, ordinal, after trimming (as it is stored) and Unicode normalisation to NFC, so a client that
/// re-encodes the same words is not refused; case, inner spaces and punctuation count.
/// </summary>
public static class IdempotencyPolicy
{
    /// <summary>Null when <paramref name="resentBody"/> repeats the stored message; else the refusal.</summary>
    public static PolicyViolation? CheckResend(string storedBody, string? resentBody) =>
        SameText(storedBody, resentBody) ? null : new(PolicyCodes.IdempotencyConflict,
            "This message was not sent: its client message id was already used for a different message of yours. "
            + "Please send it as a new message, with a new client message id.");

    /// <summary>Null when <paramref name="resent"/> repeats the start that made the conversation; else the refusal.</summary>
    public static PolicyViolation? CheckRestart(StartContent original, StartContent resent)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(resent);
        var same = original.PatientId == resent.PatientId && original.Topic == resent.Topic && original.Private == resent.Private
            && SameText(original.Subject, resent.Subject) && SameText(original.Body, resent.Body);
        return same ? null : new(PolicyCodes.ConversationExists,
            "This conversation was not started: its client message id was already used to start a conversation with a different "
            + "topic, subject, message or privacy. Please start it as a new conversation, with a new client message id.");
    }

    /// <summary>Equal after trimming and NFC normalisation; text that is not well-formed UTF-16 equals nothing it was not already equal to.</summary>
    public static bool SameText(string? stored, string? resent)
    {
        if (stored is null || resent is null)
        {
            return stored is null && resent is null;
        }

        var a = stored.Trim();
        var b = resent.Trim();
        return string.Equals(a, b, StringComparison.Ordinal)
            || (IsWellFormed(a) && IsWellFormed(b) && string.Equals(a.Normalize(NormalizationForm.FormC), b.Normalize(NormalizationForm.FormC), StringComparison.Ordinal));
    }

    // Normalising a lone surrogate throws; such text was refused when sent, so it can only match itself.
    private static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out _, out var used) != OperationStatus.Done)
            {
                return false;
            }

            text = text[used..];
        }

        return true;
    }
}
