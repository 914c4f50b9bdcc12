using Cluster.Grains.Policies;

namespace Cluster.Grains.Tests.Policies;

/// <summary>
/// Direction marks and isolates that would make a reader see numbers or words in another order than they were written,
/// beside the ones right-to-left writers use to show mixed text as written.
/// </summary>
public sealed class TextDirectionPolicyTests
{
    private const string Hebrew = "\u05E9\u05DC\u05D5\u05DD";
    private const string Arabic = "\u0627\u0644\u062F\u0648\u0627\u0621";
    private const string Rlm = "\u200F";
    private const string Lrm = "\u200E";
    private const string Alm = "\u061C";

    [Theory]
    [InlineData("Take " + Rlm + "1 - 2 tablets")]
    [InlineData("BP " + Rlm + "120 / 80" + Rlm + " this morning")]
    [InlineData("Take 10 " + Rlm + "mg")]
    [InlineData(Rlm + "Take 10 mg daily")]
    [InlineData("Take " + Alm + "5 mg")]
    [InlineData("glucose " + Rlm + ">" + Rlm + " high")]
    [InlineData(Hebrew + " " + Lrm + "1 - 2 " + Hebrew)]
    [InlineData("10 mg" + Rlm)]
    public void AMarkWithNoLetterOfItsDirectionBesideItIsRefused(string text)
    {
        Assert.Equal("that give the text beside them a direction its letters do not have", TextDirectionPolicy.Check(text));
    }

    [Theory]
    [InlineData("Take " + Rlm + "1 - 2 " + Hebrew)]
    [InlineData("Dose 5 " + Rlm + "- 10 " + Hebrew)]
    [InlineData(Hebrew + " " + Lrm + "1 - 2 mg")]
    [InlineData(Rlm + "1 - 2 " + Hebrew)]
    public void AMarkThatDecidesTheDirectionOfTheNumbersAfterItIsRefused(string text)
    {
        Assert.Equal("that change the order in which numbers are shown", TextDirectionPolicy.Check(text));
    }

    [Fact]
    public void ConsecutiveMarksDoNotVouchForEachOther()
    {
        Assert.NotNull(TextDirectionPolicy.Check("Take " + Rlm + Rlm + "1 - 2 tablets"));
        Assert.NotNull(TextDirectionPolicy.Check("x" + Rlm + Rlm + "1 - 2 " + Hebrew));
    }

    [Theory]
    [InlineData(Hebrew + Rlm + " 10 mg " + Lrm + "daily")]
    [InlineData("Take 1 - 2 " + Rlm + Hebrew)]
    [InlineData(Arabic + Alm + " 200 mg")]
    [InlineData(Hebrew + " C++" + Lrm + " " + Hebrew)]
    [InlineData(Hebrew + " (Advil)" + Lrm)]
    [InlineData("I said " + Hebrew + "!" + Rlm)]
    [InlineData("Line one 10 mg\n" + Hebrew + Rlm)]
    [InlineData(Hebrew + " 1 - 2 " + Lrm + "mg")]
    [InlineData(Hebrew + " 5 " + Lrm + " mg")]
    [InlineData("Take 1 - 2" + Rlm + " " + Hebrew)]
    public void MarksThatChangeNothingOrOnlyPlacePunctuationBesideTheirLettersAreAllowed(string text)
    {
        Assert.Null(TextDirectionPolicy.Check(text));
    }

    [Fact]
    public void AMarkIsJudgedByTheLettersOfItsOwnLine()
    {
        Assert.NotNull(TextDirectionPolicy.Check(Hebrew + "\n" + Rlm + "1 - 2 tablets"));
    }

    [Theory]
    [InlineData("Take \u2067daily 10 mg " + Hebrew + "\u2069")]
    [InlineData("\u2068" + Hebrew + " 5 mg\u2069 daily")]
    [InlineData("\u2066Ibuprofen " + Hebrew + "\u2069")]
    [InlineData("\u202B" + Hebrew + " 10 mg\u202C")]
    [InlineData("\u2066" + Rlm + "Ibuprofen 200 mg\u2069")]
    public void AnIsolateOrEmbeddingAroundLettersOfBothDirectionsIsRefused(string text)
    {
        Assert.Equal("that set one direction for text written in both", TextDirectionPolicy.Check(text));
    }

    [Theory]
    [InlineData("Street: \u2067" + Hebrew + " 5\u2069, second floor")]
    [InlineData("\u202B" + Hebrew + " \u206610 mg\u2069\u202C")]
    [InlineData(Arabic + " \u2066Ibuprofen 200 mg\u2069 " + Arabic)]
    [InlineData("Ask \u2068" + Hebrew + "\u2069 or \u2068Dr. House\u2069")]
    public void AnIsolateOrEmbeddingAroundLettersOfOneDirectionIsAllowed(string text)
    {
        Assert.Null(TextDirectionPolicy.Check(text));
    }

    [Fact]
    public void ABodyWithAMarkThatReordersNumbersIsInvalidCharactersWithASentenceSayingWhy()
    {
        var violation = TextLimitPolicy.CheckBody("BP " + Rlm + "120 / 80" + Rlm + " this morning", TextLimitPolicy.DefaultMaxBody);

        Assert.Equal("message_invalid_characters", violation?.Code);
        Assert.Contains("text-direction characters that give the text beside them a direction", violation!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASubjectWithAMarkThatReordersNumbersIsInvalidCharacters()
    {
        Assert.Equal("message_invalid_characters", TextLimitPolicy.CheckSubject("Dose " + Rlm + "1 - 2", TextLimitPolicy.DefaultMaxSubject)?.Code);
    }

    [Fact]
    public void ALongRunOfMarksAndDigitsIsCheckedInLinearTime()
    {
        var text = string.Concat(Enumerable.Repeat("1" + Rlm, 30_000)) + Hebrew;

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.NotNull(TextDirectionPolicy.Check(text));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }
}
