namespace Cluster.Grains.Policies;

/// <summary>
/// The words around a red flag that decide whether it counts, English and Spanish, in folded form (no accents or
/// apostrophes). The choices, and what they cost, are set out in docs/protocol.md ("Urgent messages").
/// </summary>
internal static class UrgencyContext
{
    /// <summary>How many words before a match a negation reaches: "no chest pain", "haven't had any chest pain".</summary>
    public const int NegationReach = 3;

    /// <summary>How many words before an "or" a negation reaches on: the item before it ("never had chest pain or ...").</summary>
    public const int ListItemReach = 5;

    /// <summary>How many words after a match a "never" can be shown to compare rather than deny ("never ... like this").</summary>
    public const int ComparisonReach = 5;

    /// <summary>Words that deny what follows them ("no chest pain", "sin dolor de pecho").</summary>
    public static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "no", "not", "never", "without", "denies", "deny", "denied", "denying", "nor", "neither", "none",
        "dont", "doesnt", "didnt", "havent", "hasnt", "hadnt", "isnt", "arent", "wasnt", "werent",
        "sin", "nunca", "ni", "tampoco", "niega", "niego", "jamas",
    };

    /// <summary>
    /// Negations that may compare instead of deny: "I've never had chest pain like this" reports chest pain. So does a
    /// negation followed by "ever" ("I haven't ever had chest pain this bad").
    /// </summary>
    public static readonly HashSet<string> Never = new(StringComparer.Ordinal) { "never", "nunca", "jamas" };

    /// <summary>
    /// What turns a "never" into a comparison when it follows the "never" in the same clause, up to
    /// <see cref="ComparisonReach"/> words after the match. Written like rule phrases.
    /// </summary>
    public static readonly IReadOnlyList<string> Comparisons =
    [
        "like this|that", "this|so|that|as bad|badly|strong|severe|intense|much", "before today|tonight|now",
        "until|till|til today|tonight|now", "asi", "como este|esta|esto", "tan fuerte|intenso|intensa|malo|mala", "tanto|tanta",
    ];

    /// <summary>Words that put the flag on an animal, not a person ("my cat had a seizure").</summary>
    public static readonly HashSet<string> Animals = new(StringComparer.Ordinal)
    {
        "cat", "cats", "kitten", "dog", "dogs", "puppy", "pet", "pets", "horse",
        "gato", "gata", "gatito", "perro", "perra", "perrito", "mascota",
    };

    /// <summary>Words that start a new thought: a match never spans one, and a negation never reaches past one.</summary>
    public static readonly HashSet<string> ClauseBreaks = new(StringComparer.Ordinal)
    {
        "but", "though", "although", "however", "except", "pero", "aunque", "sino", "excepto",
    };

    /// <summary>Words that carry a negation over to the next item of a list: "no chest pain or shortness of breath".</summary>
    public static readonly HashSet<string> ListJoins = new(StringComparer.Ordinal) { "or", "nor", "o", "ni" };

    /// <summary>
    /// Words that end a negation's reach: doubt ("not sure if this is chest pain" still counts) and "and", which adds
    /// a new item ("no appetite and chest pain" still counts).
    /// </summary>
    public static readonly HashSet<string> EndsNegation = new(StringComparer.Ordinal)
    {
        "sure", "know", "if", "whether", "idea", "wonder", "si", "and", "y", "plus", "with", "con",
    };

    /// <summary>
    /// Ordinary expressions that contain a flag's words; a flag word inside one does not count. Written like rule
    /// phrases, so "pain killers" is found as "pain killer" is.
    /// </summary>
    public static readonly IReadOnlyList<string> OrdinaryExpressions =
    [
        "pain killer|killers|reliever|relief|medication|medicine|meds|pills|management|clinic|specialist|patch|scale",
        "chest x|xray|ray|ct|scan|film|exam|congestion|cold|infection",
        "seizing up", "seizing the", "seized up",
        "stroke of luck|genius", "strokes of luck|genius",
        "hissy fit", "fit about|over|when",
        "gave|give|giving me a heart attack", "heart attack risk",
        "breathe right strip|strips|nasal", "breathe|breathing easier|easy", "breathing exercises|treatment|treatments|machine",
        "breathe|breath|breathing through|out|in my|the|his|her nose",
        "history of heart|seizures|seizure|stroke|strokes|overdose|suicide|bleeding",
        "breathing as|so hard|heavily|fast|quickly", "dying|dyeing my|her|his|the hair",
        "pill|pills|tablet|tablets|meds|medication|medications|medicine|medicines|painkillers|opioids as prescribed|directed|instructed|told",
        "app|website|site|portal|page|phone|pharmacy|office|clinic|computer|screen|printer isnt|wasnt|not|stopped responding",
        "app|website|site|portal|page|phone|pharmacy|office|clinic|computer|screen|printer is|was not responding",
        "aire acondicionado", "morir de risa", "muero de ganas", "muerto de cansancio|sueno|hambre|risa",
    ];

    /// <summary>
    /// Real words one letter from a long rule word, with the same first and last letters, that a message could well
    /// contain: never read as that rule word's typo ("overdone" is not "overdose", "a strike" is not "a stroke").
    /// Found by checking every rule word against English and Spanish word lists.
    /// </summary>
    public static readonly IReadOnlyList<string> NotTypos =
    [
        "overdone", "overdoing", "sizing", "breeding", "breeds", "blending", "blends", "bleeping", "bleeps", "breach",
        "breadth", "breaching", "strike", "stoke", "strobe", "strode", "strove", "threat", "dropped", "dropping",
        "drooled", "drooling", "selling", "sells", "smelling", "smells", "spelling", "spells", "shelling", "smelled",
        "spelled", "shelled", "sitting", "splitting", "spotting", "talking", "tacking", "tasking", "walking", "waving",
        "wading", "waxing", "loving", "lasing", "hating", "halving", "butter", "bitter", "batter", "battle", "tables",
        "meditation", "meditations", "mediation", "shouting", "scooting", "stepped", "shopped", "stomped", "stooped",
        "sweeping", "seeping", "steeping", "crashing", "crusting", "hunting", "hurling", "infected", "parsed", "pasted",
        "paused", "noting", "notching", "acting", "arching", "sadden", "sodden", "cloning", "clones", "closets", "cloves",
        "burping", "burying", "concusion", "contusion", "contused", "confesion", "insuring", "unible", "usable", "facil",
        "fuente", "cuenta", "cesta", "cierta", "sangria", "sandra", "sagrado", "tomato", "rastro", "prision",
        "legua", "quieto", "colgado", "pedido", "predio", "halar", "hallar",
    ];
}
