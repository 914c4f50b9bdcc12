using Cluster.Grains.Policies;

namespace Cluster.Grains.Tests.Policies;

public sealed class TextLimitPolicyTests
{
    [Fact]
    public void TheDefaultCapsAreTwoThousandForABodyAndOneHundredTwentyForASubject()
    {
        Assert.Equal(2000, TextLimitPolicy.DefaultMaxBody);
        Assert.Equal(120, TextLimitPolicy.DefaultMaxSubject);
    }

    [Fact]
    public void ABodyOfExactlyTheLimitIsAccepted()
    {
        Assert.Null(TextLimitPolicy.CheckBody(new string('a', 2000), TextLimitPolicy.DefaultMaxBody));
    }

    [Fact]
    public void ABodyOneCharacterOverTheLimitIsTooLong()
    {
        var violation = TextLimitPolicy.CheckBody(new string('a', 2001), TextLimitPolicy.DefaultMaxBody);

        Assert.Equal("message_too_long", violation?.Code);
        Assert.Contains("shorten it by 1 character,", violation!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATooLongBodyIsToldItsLengthTheLimitAndTheExcessWithThousandsSeparators()
    {
        var violation = TextLimitPolicy.CheckBody(new string('a', 2150), 2000);

        Assert.Equal(
            "Your message is 2,150 characters long; the limit is 2,000. Please shorten it by 150 characters, "
            + "or split your questions into separate messages.",
            violation?.Message);
        Assert.Null(violation!.RetryAfter);
    }

    [Fact]
    public void AnEmojiFamilyCountsAsOneCharacter()
    {
        var family = "\U0001F469\u200D\U0001F469\u200D\U0001F467";

        Assert.Equal(1, TextLimitPolicy.CountCharacters(family));
        Assert.Null(TextLimitPolicy.CheckBody(string.Concat(Enumerable.Repeat(family, 10)), 10));
        Assert.NotNull(TextLimitPolicy.CheckBody(string.Concat(Enumerable.Repeat(family, 11)), 10));
    }

    [Fact]
    public void ALetterWithACombiningAccentCountsAsOneCharacter()
    {
        Assert.Equal(1, TextLimitPolicy.CountCharacters("e\u0301"));
        Assert.Null(TextLimitPolicy.CheckBody("caf" + "e\u0301", 4));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" \r\n\t ")]
    [InlineData("\u200B")]
    [InlineData("\u200D\uFEFF\u200B")]
    [InlineData("\u0001\u0002 \u0007")]
    public void ABodyWithNothingVisibleIsEmpty(string? body)
    {
        var violation = TextLimitPolicy.CheckBody(body, TextLimitPolicy.DefaultMaxBody);

        Assert.Equal("message_empty", violation?.Code);
        Assert.Equal("Your message is empty. Please write your question before sending.", violation!.Message);
    }

    [Theory]
    [InlineData("Hello\u0007 doctor")]
    [InlineData("Hello\0doctor")]
    [InlineData("Hello\u001Bdoctor")]
    public void AControlCharacterOtherThanLineBreaksAndTabsIsInvalid(string body)
    {
        Assert.Equal("message_invalid_characters", TextLimitPolicy.CheckBody(body, TextLimitPolicy.DefaultMaxBody)?.Code);
    }

    [Fact]
    public void ABrokenSurrogateHalfIsInvalid()
    {
        Assert.Equal("message_invalid_characters", TextLimitPolicy.CheckBody("Hello \uD83D doctor", TextLimitPolicy.DefaultMaxBody)?.Code);
    }

    [Fact]
    public void LineBreaksTabsAndEmojiAreAllowedInABody()
    {
        Assert.Null(TextLimitPolicy.CheckBody("Dear doctor,\r\n\tthank you \U0001F600\nBest", TextLimitPolicy.DefaultMaxBody));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \u200B ")]
    public void ASubjectIsRequired(string? subject)
    {
        Assert.Equal("subject_empty", TextLimitPolicy.CheckSubject(subject, TextLimitPolicy.DefaultMaxSubject)?.Code);
    }

    [Theory]
    [InlineData("Refill\nplease")]
    [InlineData("Refill\r\nplease")]
    [InlineData("Refill\u2028please")]
    public void ASubjectMustFitOnOneLine(string subject)
    {
        var violation = TextLimitPolicy.CheckSubject(subject, TextLimitPolicy.DefaultMaxSubject);

        Assert.Equal("message_invalid_characters", violation?.Code);
        Assert.Contains("one line", violation!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASubjectWithAHiddenControlCharacterIsInvalid()
    {
        Assert.Equal("message_invalid_characters", TextLimitPolicy.CheckSubject("Refill\u0007", TextLimitPolicy.DefaultMaxSubject)?.Code);
    }

    [Fact]
    public void ASubjectOfExactlyTheLimitIsAccepted()
    {
        Assert.Null(TextLimitPolicy.CheckSubject(new string('s', 120), TextLimitPolicy.DefaultMaxSubject));
    }

    [Fact]
    public void ATooLongSubjectIsToldItsLengthTheLimitAndTheExcess()
    {
        var violation = TextLimitPolicy.CheckSubject(new string('s', 130), TextLimitPolicy.DefaultMaxSubject);

        Assert.Equal("subject_too_long", violation?.Code);
        Assert.Equal("Your subject is 130 characters long; the limit is 120. Please shorten it by 10 characters.", violation!.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ALimitBelowOneIsAProgrammingError(int limit)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TextLimitPolicy.CheckBody("hello", limit));
        Assert.Throws<ArgumentOutOfRangeException>(() => TextLimitPolicy.CheckSubject("hello", limit));
    }
}
