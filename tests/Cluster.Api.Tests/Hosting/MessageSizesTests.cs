using System.Text;
using Cluster.Api.Hosting;
using Cluster.Api.Realtime;
using Cluster.Api.Tests.Realtime;
using Cluster.Grains.Hosting;
using Cluster.Grains.Policies;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cluster.Api.Tests.Hosting;

/// <summary>
/// The API's byte limits are sized from the grains' text rules, which it does not reference: these tests fail when one side
/// changes (a cap, a default, a setting's name, the code units one character may take) and the other does not.
/// </summary>
public sealed class MessageSizesTests
{
    [Fact]
    public void The_api_sizes_a_character_with_the_same_bound_the_text_rules_enforce()
    {
        Assert.Equal(TextLimitPolicy.MaxCodeUnitsPerCharacter, MessageSizes.MaxCodeUnitsPerCharacter);
    }

    [Fact]
    public void The_api_caps_default_to_the_messaging_defaults()
    {
        var caps = new MessageCaps();
        var messaging = new MessagingOptions();

        Assert.Equal(MessagingOptions.SectionName, MessageCaps.SectionName);
        Assert.Equal(messaging.MaxBodyCharacters, caps.MaxBodyCharacters);
        Assert.Equal(messaging.MaxSubjectCharacters, caps.MaxSubjectCharacters);
        Assert.Equal(TextLimitPolicy.DefaultMaxBody, caps.MaxBodyCharacters);
        Assert.Equal(TextLimitPolicy.DefaultMaxSubject, caps.MaxSubjectCharacters);
    }

    [Fact]
    public void Configured_caps_reach_the_api_and_the_messaging_rules_alike()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:MaxBodyCharacters"] = "3000",
            ["Messaging:MaxSubjectCharacters"] = "150",
        }).Build();

        var caps = configuration.GetSection(MessageCaps.SectionName).Get<MessageCaps>()!;
        var messaging = configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>()!;

        Assert.Equal((3000, 150), (caps.MaxBodyCharacters, caps.MaxSubjectCharacters));
        Assert.Equal((messaging.MaxBodyCharacters, messaging.MaxSubjectCharacters), (caps.MaxBodyCharacters, caps.MaxSubjectCharacters));
    }

    [Theory]
    [InlineData(2000, 120)]
    [InlineData(3000, 150)]
    [InlineData(1, 1)]
    public void The_longest_message_the_text_rules_accept_fits_the_sized_limits_in_the_worst_json_escaping(int body, int subject)
    {
        var caps = new MessageCaps { MaxBodyCharacters = body, MaxSubjectCharacters = subject };
        var longestBody = Longest(body);
        var longestSubject = Longest(subject);
        Assert.Null(TextLimitPolicy.CheckBody(longestBody, body));
        Assert.Null(TextLimitPolicy.CheckSubject(longestSubject, subject));

        var send = $$"""{"type":1,"invocationId":"2147483647","target":"SendMessage","arguments":[{"conversationId":"{{Escaped(new string('c', 200))}}","body":"{{Escaped(longestBody)}}","clientMessageId":"{{Escaped(new string('m', 100))}}"}]}""";
        var start = $$"""{"patientId":"{{Escaped(new string('p', 64))}}","topic":"PrescriptionRenewal","subject":"{{Escaped(longestSubject)}}","body":"{{Escaped(longestBody)}}","clientMessageId":"{{Escaped(new string('m', 100))}}"}""";

        Assert.True(Encoding.UTF8.GetByteCount(send) <= MessageSizes.HubFrameBytes(caps), $"{Encoding.UTF8.GetByteCount(send)} > {MessageSizes.HubFrameBytes(caps)}");
        Assert.True(Encoding.UTF8.GetByteCount(start) <= MessageSizes.RequestBodyBytes(caps), $"{Encoding.UTF8.GetByteCount(start)} > {MessageSizes.RequestBodyBytes(caps)}");
    }

    [Fact]
    public void A_character_one_code_unit_longer_than_the_sizing_allows_is_refused_by_the_text_rules()
    {
        var tooLong = "a" + new string('\u0301', MessageSizes.MaxCodeUnitsPerCharacter);

        Assert.Equal(PolicyCodes.MessageInvalidCharacters, TextLimitPolicy.CheckBody(tooLong, TextLimitPolicy.DefaultMaxBody)?.Code);
        Assert.Equal(PolicyCodes.MessageInvalidCharacters, TextLimitPolicy.CheckSubject(tooLong, TextLimitPolicy.DefaultMaxSubject)?.Code);
    }

    // Characters as long as the text rules allow: a letter under as many accents as fit in the bound.
    private static string Longest(int characters) =>
        new StringBuilder().Insert(0, "a" + new string('\u0301', TextLimitPolicy.MaxCodeUnitsPerCharacter - 1), characters).ToString();

    private static string Escaped(string text) => string.Concat(text.Select(c => $"\\u{(int)c:X4}"));
}

/// <summary>A node whose organisation raised the character caps.</summary>
public sealed class RaisedCapsApi() : ConfiguredApi(new Dictionary<string, string?>
{
    ["Messaging:MaxBodyCharacters"] = "3000",
    ["Messaging:MaxSubjectCharacters"] = "150",
});

/// <summary>On a running node, the limits the API enforces follow the caps the messaging rules enforce.</summary>
public sealed class ConfiguredCapsTests(RaisedCapsApi api) : IClassFixture<RaisedCapsApi>
{
    [Fact]
    public void The_node_sizes_its_hub_frames_and_request_bodies_from_the_caps_its_messaging_rules_use()
    {
        var services = api.Factory.Services;
        var messaging = services.GetRequiredService<IOptions<MessagingOptions>>().Value;
        var caps = services.GetRequiredService<IOptions<MessageCaps>>().Value;
        var hub = services.GetRequiredService<IOptions<HubOptions>>().Value;

        Assert.Equal((3000, 150), (messaging.MaxBodyCharacters, messaging.MaxSubjectCharacters));
        Assert.Equal((messaging.MaxBodyCharacters, messaging.MaxSubjectCharacters), (caps.MaxBodyCharacters, caps.MaxSubjectCharacters));
        Assert.True(hub.MaximumReceiveMessageSize > MessageSizes.HubFrameBytes(caps));
        Assert.Equal(MessageSizes.HubFrameBytes(new MessageCaps { MaxBodyCharacters = 3000, MaxSubjectCharacters = 150 }),
            services.GetRequiredService<IOptions<ApiOptions>>().Value.HubFrameBytes(caps));
    }
}
