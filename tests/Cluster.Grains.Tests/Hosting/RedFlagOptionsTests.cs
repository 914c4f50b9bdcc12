using Cluster.Grains.Hosting;
using Cluster.Grains.Policies;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Tests.Hosting;

/// <summary>Messaging:RedFlagLanguages picks the built-in lists, Messaging:RedFlags adds the organisation's own.</summary>
public sealed class RedFlagOptionsTests
{
    [Fact]
    public void ByDefaultEveryBuiltInListIsUsed()
    {
        var rules = Rules(new MessagingOptions());

        Assert.Equal(["cardiac"], rules.Urgency.Detect("chest pain"));
        Assert.Equal(["cardiac"], rules.Urgency.Detect("dolor de pecho"));
    }

    [Fact]
    public void NamedLanguagesLimitTheBuiltInLists()
    {
        var rules = Rules(new MessagingOptions { RedFlagLanguages = ["es"] });

        Assert.Equal(["cardiac"], rules.Urgency.Detect("dolor de pecho"));
        Assert.Empty(rules.Urgency.Detect("chest pain"));
    }

    [Fact]
    public void OwnFlagsAreUsedBesideTheBuiltInListsOrAloneWithNone()
    {
        RedFlagOption own = new() { Phrase = "lips + blue ~4", Category = "breathing" };

        var beside = Rules(new MessagingOptions { RedFlags = [own] });
        var alone = Rules(new MessagingOptions { RedFlagLanguages = ["none"], RedFlags = [own] });

        Assert.Equal(["breathing"], beside.Urgency.Detect("his lips are blue"));
        Assert.Equal(["cardiac"], beside.Urgency.Detect("chest pain"));
        Assert.Equal(["breathing"], alone.Urgency.Detect("his lips are turning blue"));
        Assert.Empty(alone.Urgency.Detect("chest pain"));
    }

    [Fact]
    public void AnUnknownLanguageOrAnUnreadableRuleIsRefusedAtStartUp()
    {
        var options = new MessagingOptions
        {
            RedFlagLanguages = ["fr"],
            RedFlags = [new RedFlagOption { Phrase = "chest + pain .. arm", Category = "cardiac" }],
        };

        var result = new MessagingOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Messaging:RedFlagLanguages", StringComparison.Ordinal) && f.Contains("'fr'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Messaging:RedFlags", StringComparison.Ordinal) && f.Contains("chest + pain .. arm", StringComparison.Ordinal));
    }

    [Fact]
    public void TheBuiltInListsPassTheValidator()
    {
        var options = new MessagingOptions
        {
            RedFlagLanguages = ["en", "es"],
            RedFlags = [.. RedFlagLists.English.Concat(RedFlagLists.Spanish).Select(f => new RedFlagOption { Phrase = f.Phrase, Category = f.Category })],
        };

        Assert.False(new MessagingOptionsValidator().Validate(null, options).Failed);
    }

    private static MessagingRules Rules(MessagingOptions options) => new(Options.Create(options));
}
