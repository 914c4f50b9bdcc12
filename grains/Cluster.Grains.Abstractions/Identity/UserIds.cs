using System.Diagnostics.CodeAnalysis;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Grains.Abstractions.Identity;

/// <summary>
/// The one shape of a user id, wherever an id is named or created (tokens, registrations, grants, care-team members):
/// 1 to 64 ASCII letters, digits, '.', '-', '_' or '@', beginning with a letter or digit; "system" is the portal's own.
/// Ids are compared exactly (case matters). Nothing a reader could be misled by (control, invisible or
/// right-to-left characters) and nothing that could swell a record.
/// </summary>
public static class UserIds
{
    public const int MaxLength = 64;

    /// <summary>The id automatic actions are recorded under; no account may use it.</summary>
    public const string System = "system";

    public const string Rule = "1 to 64 characters: ASCII letters, digits, '.', '-', '_' or '@', beginning with a letter or digit";

    public static bool IsValid([NotNullWhen(true)] string? id)
    {
        if (id is not { Length: > 0 and <= MaxLength } || !char.IsAsciiLetterOrDigit(id[0]) || id == System)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-' or '_' or '@'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An invalid_request naming <paramref name="field"/> when the id does not have the shape, otherwise null. The id itself is never echoed.</summary>
    public static Problem? Check(string? id, string field) =>
        IsValid(id) ? null : Problem.Invalid($"{field} must be a user id of {Rule}{(id == System ? " (\"system\" is reserved)" : "")}.");
}
