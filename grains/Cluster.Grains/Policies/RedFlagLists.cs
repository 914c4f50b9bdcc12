namespace Cluster.Grains.Policies;

/// <summary>
/// The built-in red flags, one list per language, named as configuration names them ("en", "es"). Each phrase is a
/// rule in the form <see cref="RedFlagRule"/> reads; over-matching is the safe side here.
/// </summary>
public static class RedFlagLists
{
    public const string EnglishName = "en";
    public const string SpanishName = "es";

    private const string Pain = "pain|pains|painful|hurt|hurting|ache|aching|tight|tightness|pressure|crushing|squeezing|heavy|heaviness|burning|stabbing";
    private const string Pill = "pill|pills|tablet|tablets|meds|medication|medications|medicine|medicines|dose|doses|sleeping";

    // "Took all my doses" is a routine report more often than not; "took all my pills" is read as an overdose.
    private const string AllPills = "pill|pills|tablet|tablets|meds|medication|medications|medicine|medicines|painkillers|opioids";

    public static IReadOnlyList<RedFlag> English { get; } =
    [
        .. In("cardiac",
            $"chest + {Pain}", "heart attack", "heart attacks",
            "radiating|radiates|spreading|spreads|shooting + arm|arms|jaw|shoulder|neck ~6",
            "pain|pains|ache|aching|numb|numbness .. left arm ~4", "pain in my jaw and arm"),
        .. In("breathing",
            "cant|cannot|couldnt|unable|barely|hardly breathe|breath|breathing", "can not breathe|breath|breathing", "could not breathe|breath|breathing",
            "not|isnt|arent|wasnt|werent|havent|hasnt|hadnt .. able to breathe|breath|breathing ~6",
            "not|isnt|arent|wasnt|werent|havent|hasnt|hadnt .. able to catch my|her|his breath ~7",
            "stopped|stops|not|isnt|arent|wasnt|werent breathing",
            "trouble|difficulty|difficult|hard|struggling|struggle|struggled|problems|laboured|labored .. breathe|breath|breathing ~4",
            "shortness of breath", "short of breath", "gasping|gasp|gasped for air|breath", "breathless",
            "cant|cannot|couldnt catch my|her|his breath", "cant get enough air"),
        .. In("stroke",
            "face|facial|mouth|smile|eyelid + droop|droopy|drooping|drooped|sagging|lopsided ~4",
            "slurred|slurring|slur + speech|words|speaking|talking ~4",
            "weakness|weak|numbness|numb + one side|sided ~6", "sudden|suddenly + numbness|numb|weakness|weak|confusion|confused ~3",
            "a|having|had stroke", "mini stroke", "stroke symptoms|signs"),
        .. In("self_harm",
            "suicidal", "suicide", "suicid*", "kill|end|off myself", "want|wanna|wish|ready .. die ~4",
            "wish i was|were dead", "want|wanna to be dead",
            "end|ending|take|taking my life", "end|take my own life", "end it all", "ending it all",
            "dont want to live|exist", "feel|feels|feeling|felt like dying", "rather die", "rather be dead",
            "dont want to wake up anymore|again", "do not want to wake up anymore|again", "cant|cannot go on anymore|living",
            "hang|hanging|hanged myself", "do not want to live|exist", "dont want to be alive|here anymore", "do not want to be alive|here anymore",
            "no reason to live", "nothing to live for", "better off without me", "better off dead",
            "hurt|hurting|harm|harming|cut|cutting myself", "self harm|harming|injury|injuring"),
        .. In("bleeding",
            "bleeding|bleed|bleeds|bled + heavily|heavy|severe|severely|badly|profusely|everywhere|lot|alot|nonstop ~4",
            "wont|cant|cannot|doesnt|didnt|not|isnt|never|hasnt|havent|hadnt stop + bleeding|bleed|bled ~5",
            "coughing|coughed|coughs|vomiting|vomited|throwing|threw|puking|puked|spitting|spit up blood",
            "coughing|coughed|vomiting|vomited|vomit|puking blood", "blood in my|the vomit|spit|phlegm|mucus",
            "lost|losing a lot of blood", "a lot of blood", "so much blood", "lots of blood", "hemorrhage|haemorrhage|hemorrhaging"),
        .. In("overdose",
            "overdose", "overdosed", "overdosing", "od|oded on", $"took|taken|swallowed|ate .. too many|much .. {Pill} ~7",
            "took|taken|swallowed .. whole|entire bottle ~5", $"too many {Pill}", $"took|taken|swallowed|ate .. all|handful|bunch .. {AllPills} ~7"),
        .. In("neuro",
            "seizure", "seizures", "seizing", "convulsing|convulsion|convulsions|convulsed", "having|had|has|having a fit",
            "unconscious", "unresponsive", "passed|passing|pass out", "=fainted|=fainting|=collapsed",
            "wont|doesnt wake up", "will not wake up", "not|isnt|wasnt|arent waking up", "not|isnt|wasnt|arent|stopped responding", "cant|cannot|couldnt wake him|her|them"),
        .. In("allergy",
            "anaphylaxis|anaphylactic|anaphylactoid", "throat + swelling|swell|swells|swelled|closing|closes|tightening|tight ~4",
            "tongue + swelling|swell|swells|swelled|swollen ~3", "used|gave|give|injected .. epipen ~3"),
    ];

    public static IReadOnlyList<RedFlag> Spanish { get; } =
    [
        .. In("cardiac",
            "dolor|dolores|duele|duelen|dolia|presion|opresion|punzada|ardor + pecho ~5", "infarto",
            "ataque al corazon", "ataque cardiaco", "dolor|duele .. brazo izquierdo ~7", "dolor|duele .. mandibula ~4"),
        .. In("breathing",
            "no puedo|pude|podia|puede respirar|respiro", "no respira|respiraba", "falta|faltaba|falto + aire ~4", "me ahogo|ahogando|ahogandome",
            "dificultad|cuesta|costaba|trabajo .. respirar ~4", "falta de aire", "quedo|quede|quedando sin aire"),
        .. In("stroke",
            "cara|boca|rostro + caida|caido|torcida|torcido|colgando|chueca|chueco ~4",
            "habla|hablar|palabras + arrastrada|arrastrando|arrastra|enredada|trabada ~4", "derrame cerebral", "ictus", "embolia",
            "debilidad|entumecimiento|adormecimiento|dormido|dormida + lado ~6"),
        .. In("self_harm",
            "suicid*", "quiero|quisiera|deseo|quiere .. morir|morirme|muerto|muerta ~4", "matarme", "me quiero matar", "me voy a matar",
            "quitarme la vida", "ganas de morir|morirme|matarme", "acabar con mi vida|todo", "no quiero vivir", "hacerme dano", "lastimarme", "cortarme las venas",
            "no vale la pena vivir", "mejor + sin mi ~4"),
        .. In("bleeding",
            "sangrado|sangrando|sangre|sangra|sangro + abundante|mucho|mucha|fuerte|demasiado|demasiada ~4",
            "no para|deja de sangrar", "no se detiene el sangrado", "hemorragia", "vomitando|vomitado|vomito|vomite|tosiendo|toso|escupiendo sangre"),
        .. In("overdose",
            "sobredosis", "tome|tomo|tomado|trague .. demasiadas|muchas|demasiado .. pastillas|pildoras|medicinas|tabletas|medicamentos ~6",
            "demasiadas + pastillas|pildoras|medicinas|tabletas ~3",
            "tome|tomo|tomado|trague .. todas|todos .. pastillas|pildoras|medicinas|tabletas|medicamentos ~5"),
        .. In("neuro",
            "convulsion|convulsiones|convulsionando|convulsiona|convulsiono", "ataque epileptico", "crisis convulsiva",
            "desmayo|desmaye|desmayado|desmayada|desmayo|desmaya", "inconsciente", "perdio|perdi|perdido el conocimiento",
            "no despierta|reacciona"),
        .. In("allergy",
            "anafilaxia|anafilactico|anafilactica", "garganta|lengua + cierra|cerrando|hinchando|hinchada|hinchazon ~4"),
    ];

    /// <summary>Every built-in list by its name.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<RedFlag>> ByName { get; } = new Dictionary<string, IReadOnlyList<RedFlag>>(StringComparer.OrdinalIgnoreCase)
    {
        [EnglishName] = English,
        [SpanishName] = Spanish,
    };

    private static IEnumerable<RedFlag> In(string category, params string[] phrases) =>
        phrases.Select(phrase => new RedFlag(phrase, category));
}
