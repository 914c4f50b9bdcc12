namespace Cluster.Grains.Policies;

public sealed partial class UrgencyPolicy
{
    /// <summary>
    /// Phrases that mean "this may be an emergency". Written naturally; apostrophes, case and accents are folded
    /// away when matching, so "can't", "can’t" and "cant" are one phrase. Over-matching is the safe side here.
    /// </summary>
    public static IReadOnlyList<RedFlag> DefaultRedFlags { get; } =
    [
        .. In("cardiac",
            "chest pain", "chest pains", "pain in my chest", "pain in chest", "chest pressure", "pressure in my chest",
            "chest tightness", "tightness in my chest", "tight chest", "crushing chest", "heart attack",
            "radiating to my arm", "radiating to my left arm", "radiating down my arm", "radiating down my left arm",
            "radiating to my jaw", "radiates to my arm", "radiates down my arm", "radiates to my jaw",
            "pain in my jaw and arm", "pain in my left arm"),
        .. In("breathing",
            "trouble breathing", "difficulty breathing", "hard to breathe", "struggling to breathe", "shortness of breath",
            "short of breath", "can't breathe", "cannot breathe", "can not breathe", "unable to breathe", "gasping for air",
            "can't catch my breath"),
        .. In("stroke",
            "face drooping", "face is drooping", "drooping face", "face droop", "facial droop", "slurred speech",
            "speech is slurred", "slurring my words", "slurring words", "one-sided weakness", "weakness on one side",
            "one-sided numbness", "numbness on one side", "sudden numbness", "sudden weakness", "sudden confusion",
            "suddenly confused", "having a stroke"),
        .. In("self_harm",
            "suicidal", "suicide", "kill myself", "killing myself", "want to die", "wanna die", "end my life",
            "ending my life", "take my own life", "hurt myself", "hurting myself", "harm myself", "harming myself",
            "self-harm", "don't want to live", "better off dead"),
        .. In("bleeding",
            "severe bleeding", "bleeding heavily", "heavy bleeding", "bleeding a lot", "won't stop bleeding",
            "will not stop bleeding", "bleeding won't stop", "bleeding will not stop", "can't stop the bleeding",
            "coughing up blood", "vomiting blood", "throwing up blood"),
        .. In("overdose",
            "overdose", "overdosed", "overdosing", "took too many pills", "taken too many pills",
            "swallowed too many pills", "took too many of my pills"),
        .. In("neuro",
            "seizure", "seizures", "having a seizure", "convulsing", "unconscious", "unresponsive", "passed out",
            "fainted", "won't wake up"),
        .. In("allergy",
            "anaphylaxis", "anaphylactic", "throat swelling", "throat is swelling", "swelling in my throat",
            "throat closing", "throat is closing", "throat closing up", "tongue swelling", "tongue is swelling"),
    ];

    // Declared after the list, in the same file: initialisers across partial files run in no set order.
    /// <summary>One shared instance over <see cref="DefaultRedFlags"/>.</summary>
    public static UrgencyPolicy Default { get; } = new(DefaultRedFlags);

    private static IEnumerable<RedFlag> In(string category, params string[] phrases) =>
        phrases.Select(phrase => new RedFlag(phrase, category));
}
