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
    [InlineData("\u3164")]
    [InlineData("\u3164 \u3164")]
    [InlineData("\u2800\u2800")]
    [InlineData("\u115F\u1160")]
    [InlineData("\uFFA0")]
    [InlineData("\u0301\u0302\u0303")]
    [InlineData("\uFE0F\uFE0E")]
    [InlineData("\U000E0100\U000E0101")]
    [InlineData("\U000E0041\U000E007F")]
    [InlineData("\u034F\u180E\u00AD")]
    public void ABodyOfFillersMarksOrSelectorsWithNoVisibleCharacterIsEmpty(string body)
    {
        Assert.Equal("message_empty", TextLimitPolicy.CheckBody(body, TextLimitPolicy.DefaultMaxBody)?.Code);
    }

    [Theory]
    [InlineData("\u3164")]
    [InlineData("\u2800")]
    [InlineData("\u0301\u0301")]
    public void ASubjectWithNoVisibleCharacterIsEmpty(string subject)
    {
        Assert.Equal("subject_empty", TextLimitPolicy.CheckSubject(subject, TextLimitPolicy.DefaultMaxSubject)?.Code);
    }

    [Theory]
    [InlineData("\u2800 Hello")]
    [InlineData("e\u0301")]
    [InlineData("\u2764\uFE0F")]
    [InlineData("\u3131")]
    public void AVisibleCharacterAmongFillersIsNotEmpty(string body)
    {
        Assert.Null(TextLimitPolicy.CheckBody(body, TextLimitPolicy.DefaultMaxBody));
    }

    [Theory]
    [InlineData("Take 10 mg \u202Edaily")]
    [InlineData("Take 10 mg \u202Ddaily\u202C")]
    [InlineData("Take \u202E10 mg\u202C daily")]
    [InlineData("Take 10 mg \u2067daily")]
    [InlineData("Take 10 mg daily\u2069")]
    [InlineData("Take 10 mg \u202Bdaily")]
    [InlineData("Take 10 mg \u2066\u2067daily\u2069")]
    [InlineData("Take \u2067daily 10 mg\u2069")]
    [InlineData("Take \u202Bdaily 10 mg\u202C")]
    [InlineData("Take \u2067daily\nmg\u2069")]
    public void BidirectionalControlsThatReorderTextOrAreUnbalancedAreInvalid(string body)
    {
        var violation = TextLimitPolicy.CheckBody(body, TextLimitPolicy.DefaultMaxBody);

        Assert.Equal("message_invalid_characters", violation?.Code);
        Assert.Contains("direction", violation!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASubjectThatReordersTextIsInvalid()
    {
        Assert.Equal("message_invalid_characters", TextLimitPolicy.CheckSubject("Dose \u202E10 mg", TextLimitPolicy.DefaultMaxSubject)?.Code);
    }

    [Theory]
    [InlineData("My name is \u2067\u05D3\u05D5\u05D3\u2069 and I take 10 mg daily")]
    [InlineData("\u0627\u0644\u062F\u0648\u0627\u0621 \u2066Ibuprofen 200 mg\u2069 \u0645\u0631\u062A\u064A\u0646")]
    [InlineData("Ask \u2068\u05E9\u05C1\u05DC\u05D5\u05DD\u2069 or \u2068Dr. House\u2069")]
    [InlineData("\u202B\u05E9\u05DC\u05D5\u05DD \u206610 mg\u2069\u202C")]
    [InlineData("\u05E9\u05DC\u05D5\u05DD\u200F 10 mg \u200Edaily")]
    public void BalancedIsolatesAndEmbeddingsAroundTextOfTheirDirectionAreAllowed(string body)
    {
        Assert.Null(TextLimitPolicy.CheckBody(body, TextLimitPolicy.DefaultMaxBody));
    }

    [Fact]
    public void AFullLengthBodyOfFamilyEmojiIsAccepted()
    {
        var family = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466";

        Assert.Null(TextLimitPolicy.CheckBody(string.Concat(Enumerable.Repeat(family, 2000)), TextLimitPolicy.DefaultMaxBody));
    }

    [Fact]
    public void TheLongestEmojiSequencesFitInOneCharacter()
    {
        var kissWithSkinTones = "\U0001F469\U0001F3FB\u200D\u2764\uFE0F\u200D\U0001F48B\u200D\U0001F468\U0001F3FC";
        var scotland = "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F";

        Assert.Null(TextLimitPolicy.CheckBody(kissWithSkinTones + scotland, TextLimitPolicy.DefaultMaxBody));
        Assert.True(kissWithSkinTones.Length <= TextLimitPolicy.MaxCodeUnitsPerCharacter);
    }

    [Fact]
    public void ACharacterWithMoreStackedMarksThanTheBoundIsInvalid()
    {
        var stacked = "a" + new string('\u0301', TextLimitPolicy.MaxCodeUnitsPerCharacter);

        Assert.Equal(1, TextLimitPolicy.CountCharacters(stacked));
        Assert.Equal("message_invalid_characters", TextLimitPolicy.CheckBody(stacked, TextLimitPolicy.DefaultMaxBody)?.Code);
        Assert.Equal("message_invalid_characters", TextLimitPolicy.CheckSubject(stacked, TextLimitPolicy.DefaultMaxSubject)?.Code);
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
