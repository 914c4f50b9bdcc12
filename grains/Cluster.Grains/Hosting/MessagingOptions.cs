using Cluster.Grains.Abstractions.Conversations;

namespace Cluster.Grains.Hosting;

/// <summary>
/// The "Messaging" section: one organisation's rules. Every number here is a default the organisation may change.
/// </summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    public TermsOptions Terms { get; set; } = new();

    /// <summary>Shown when a conversation starts (and on compose): what messaging is for and what to do in an emergency.</summary>
    public string Notice { get; set; } =
        "Secure messages are for non-urgent questions. Your care team usually replies within 2 business days. " +
        "Messages become part of your medical record. If this is an emergency, call 911 or go to the nearest emergency department.";

    public int MaxBodyCharacters { get; set; } = 2000;

    public int MaxSubjectCharacters { get; set; } = 120;

    public int PatientMessagesPerHour { get; set; } = 5;

    public int PatientMessagesPerDay { get; set; } = 20;

    public int PatientConversationsPerDay { get; set; } = 3;

    public int CareTeamMessagesPerMinute { get; set; } = 60;

    /// <summary>
    /// The built-in red-flag lists to use, by language ("en", "es"). Empty uses every built-in list; "none" uses none,
    /// leaving only <see cref="RedFlags"/>.
    /// </summary>
    public List<string> RedFlagLanguages { get; set; } = [];

    /// <summary>
    /// The organisation's own red flags (rules in the form README.md describes) with their category, used beside the
    /// built-in lists.
    /// </summary>
    public List<RedFlagOption> RedFlags { get; set; } = [];

    /// <summary>The automatic reply a patient gets at once when their message looks like an emergency.</summary>
    public string EmergencyGuidance { get; set; } =
        "Your message mentions symptoms that may need urgent care. Messages are not monitored around the clock. " +
        "If you have chest pain, trouble breathing, signs of stroke, severe bleeding or thoughts of harming yourself, " +
        "call 911 now or go to the nearest emergency department. In the US you can call or text 988 for the Suicide and Crisis Lifeline. " +
        "Your care team has been alerted to this message.";

    /// <summary>Which care team answers each topic. Medical questions also go to the patient's own clinician when they have one.</summary>
    public Dictionary<Topic, string> Routing { get; set; } = new()
    {
        [Topic.MedicalQuestion] = "clinical",
        [Topic.TestResultQuestion] = "clinical",
        [Topic.PrescriptionRenewal] = "nurses",
        [Topic.Appointment] = "front-desk",
        [Topic.Billing] = "billing",
        [Topic.Other] = "front-desk",
    };

    /// <summary>A care-team message the patient has not read after this long alerts its sender.</summary>
    public TimeSpan UnreadAlertAfter { get; set; } = TimeSpan.FromDays(2);

    /// <summary>A conversation with no activity for this long closes by itself.</summary>
    public TimeSpan InactivityClose { get; set; } = TimeSpan.FromDays(30);

    /// <summary>From this age proxies lose access to conversations the patient marks private.</summary>
    public int MinorPrivacyAge { get; set; } = 12;

    /// <summary>At this age grants made while the patient was a minor end.</summary>
    public int AdultAge { get; set; } = 18;

    /// <summary>Proxies one patient may have active at once; as many ended grants are remembered, older ones are forgotten.</summary>
    public int MaxActiveProxyGrants { get; set; } = 10;
}

public sealed class TermsOptions
{
    public string Version { get; set; } = "2026-01";

    public string Text { get; set; } =
        "Use secure messaging for non-urgent questions only. Expect a reply within 2 business days. " +
        "Your messages become part of your medical record and may be read by members of your care team. " +
        "In an emergency, call 911; do not send a message.";
}

public sealed class RedFlagOption
{
    public string Phrase { get; set; } = "";

    public string Category { get; set; } = "";
}
