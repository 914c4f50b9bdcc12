using Cluster.Grains.Policies;

namespace Cluster.Grains.Tests.Policies;

public sealed class UrgencyPolicyTests
{
    private static readonly UrgencyPolicy Policy = UrgencyPolicy.Default;

    [Fact]
    public void TheResearchExampleOfChestPainRadiatingToTheArmIsCardiac()
    {
        Assert.Equal(["cardiac"], Policy.Detect("chest pain radiating to my arm"));
    }

    [Theory]
    [InlineData("Chést PAIN since this morning")]
    [InlineData("CHEST PAIN")]
    [InlineData("I have pain in my chest")]
    [InlineData("chest-pain, help")]
    [InlineData("chest   \n  pain")]
    [InlineData("che\u200Bst pain")]
    [InlineData("che\u0301st pa\u00EFn")]
    public void CaseAccentsPunctuationAndSpacingDoNotHideChestPain(string text)
    {
        Assert.Equal(["cardiac"], Policy.Detect(text));
    }

    [Theory]
    [InlineData("I can't breathe")]
    [InlineData("I can\u2019t breathe")]
    [InlineData("I cant breathe")]
    [InlineData("I CAN'T BREATHE!!!")]
    [InlineData("I cannot breathe")]
    public void ApostropheVariantsAllMatch(string text)
    {
        Assert.Equal(["breathing"], Policy.Detect(text));
    }

    [Theory]
    [InlineData("I am taking a chest painting class")]
    [InlineData("my knee is painful")]
    [InlineData("the breathing exercises helped a lot")]
    [InlineData("I passed outside the clinic yesterday")]
    [InlineData("it happened unconsciously")]
    [InlineData("Could I get a refill of my blood pressure medication?")]
    [InlineData("")]
    [InlineData(null)]
    public void WordsThatOnlyContainAPhraseOrRoutineQuestionsAreNotFlagged(string? text)
    {
        Assert.Empty(Policy.Detect(text));
    }

    [Theory]
    [InlineData("My chest feels tight, there is pressure in my chest", "cardiac")]
    [InlineData("the pain radiates to my jaw", "cardiac")]
    [InlineData("I have shortness of breath when walking", "breathing")]
    [InlineData("Her face is drooping and she has slurred speech", "stroke")]
    [InlineData("sudden weakness on one side of my body", "stroke")]
    [InlineData("I keep having suicidal thoughts", "self_harm")]
    [InlineData("I want to end my life", "self_harm")]
    [InlineData("the cut won't stop bleeding", "bleeding")]
    [InlineData("I think I took too many pills", "overdose")]
    [InlineData("my son had a seizure this morning", "neuro")]
    [InlineData("he passed out in the kitchen", "neuro")]
    [InlineData("my throat is closing after the new medicine", "allergy")]
    public void EachDefaultCategoryIsDetected(string text, string category)
    {
        Assert.Equal([category], Policy.Detect(text));
    }

    [Fact]
    public void EachCategoryIsReportedOnceInOrderOfFirstMention()
    {
        Assert.Equal(["breathing", "cardiac"], Policy.Detect("Trouble breathing and chest pain; the chest pain is worse now."));
    }

    [Fact]
    public void OverlappingPhrasesOfDifferentCategoriesAreAllFound()
    {
        var policy = new UrgencyPolicy([new("chest pain", "cardiac"), new("pain radiating", "spreading")]);

        Assert.Equal(["cardiac", "spreading"], policy.Detect("chest pain radiating"));
    }

    [Fact]
    public void TheDefaultsCoverEveryCategoryTheTeamRelyOn()
    {
        var categories = UrgencyPolicy.DefaultRedFlags.Select(flag => flag.Category).Distinct().Order();

        Assert.Equal(["allergy", "bleeding", "breathing", "cardiac", "neuro", "overdose", "self_harm", "stroke"], categories);
    }

    [Fact]
    public void AnEmptyFlagListFlagsNothing()
    {
        Assert.Empty(new UrgencyPolicy([]).Detect("chest pain"));
    }

    [Fact]
    public void APhraseWithNothingToMatchIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new UrgencyPolicy([new("?!", "cardiac")]));
    }

    [Fact]
    public void ABrokenSurrogateInTheTextDoesNotStopDetection()
    {
        Assert.Equal(["cardiac"], Policy.Detect("\uD83D chest pain"));
    }

    [Fact]
    public void ALongMessageIsCheckedWithinTheTimeout()
    {
        var text = string.Concat(Enumerable.Repeat("chest chest pai ", 500)) + "chest pain";

        Assert.Equal(["cardiac"], Policy.Detect(text));
    }
}
