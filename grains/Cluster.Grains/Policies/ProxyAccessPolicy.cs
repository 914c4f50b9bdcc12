using Cluster.Grains.Abstractions.Patients;

namespace Cluster.Grains.Policies;

/// <summary>Decides whether a proxy may read or send in a patient's conversation, given the grant, the patient's age and privacy.</summary>
public static class ProxyAccessPolicy
{
    /// <summary>Grants made before this age end on this birthday.</summary>
    public const int DefaultAdultAge = 18;

    /// <summary>From this age a patient's private conversations are closed to proxies (adolescent confidentiality).</summary>
    public const int DefaultPrivacyAge = 12;

    public static ProxyAccessDecision Decide(
        DateOnly patientDateOfBirth,
        DateTimeOffset now,
        ProxyGrant grant,
        bool conversationIsPrivate,
        ProxyAction action,
        int privacyAge = DefaultPrivacyAge,
        int adultAge = DefaultAdultAge)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (grant.RevokedAt is { } revokedAt && revokedAt <= now)
        {
            return Deny(PolicyCodes.ProxyRevoked, "The patient has ended your access to their messages.");
        }

        if (grant.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            return Deny(PolicyCodes.ProxyExpired,
                "Your access to this patient's messages has expired. Please ask the patient or the practice to renew it.");
        }

        // Ages are taken on the UTC date: it needs no patient time zone, and being a few hours off on a birthday is acceptable.
        var ageNow = Age(patientDateOfBirth, DateOnly.FromDateTime(now.UtcDateTime));
        var ageWhenGranted = Age(patientDateOfBirth, DateOnly.FromDateTime(grant.GrantedAt.UtcDateTime));
        if (ageWhenGranted < adultAge && ageNow >= adultAge)
        {
            // A parent's access to a child does not carry into adulthood; the adult decides again.
            return Deny(PolicyCodes.ProxyAgeEnded,
                $"Your access ended when the patient turned {adultAge}. They can give you access again from their own account.");
        }

        if (conversationIsPrivate && ageNow >= privacyAge)
        {
            return Deny(PolicyCodes.ProxyPrivate,
                "The patient has marked this conversation as private, so it is not shared with proxies.");
        }

        return action == ProxyAction.Send && grant.Scope != ProxyScope.ReadAndSend
            ? Deny(PolicyCodes.ProxyScope,
                "Your access lets you read this patient's messages but not send them. Please ask the patient to let you send messages.")
            : ProxyAccessDecision.Allow;
    }

    /// <summary>Whole years from <paramref name="dateOfBirth"/> to <paramref name="on"/>; someone born on 29 February ages on 1 March in common years.</summary>
    public static int Age(DateOnly dateOfBirth, DateOnly on)
    {
        var age = on.Year - dateOfBirth.Year;
        var birthdayNotYetReached = on.Month < dateOfBirth.Month || (on.Month == dateOfBirth.Month && on.Day < dateOfBirth.Day);
        return birthdayNotYetReached ? age - 1 : age;
    }

    private static ProxyAccessDecision Deny(string code, string message) => new(new PolicyViolation(code, message));
}
