using Cluster.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Api.Tests.Hosting;

/// <summary>The byte limits are sized from the character caps; a configured value may raise them, never make a full-length message impossible.</summary>
public sealed class ApiOptionsValidatorTests
{
    private static readonly MessageCaps Caps = new();
    private readonly ApiOptionsValidator _validator = new(Options.Create(Caps));

    [Fact]
    public void Unset_limits_are_sized_from_the_caps_and_valid()
    {
        var options = new ApiOptions();

        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.Equal(MessageSizes.HubFrameBytes(Caps), options.HubFrameBytes(Caps));
        Assert.True(options.HubFrameBytes(Caps) >= 2000 * 32 * 6);
        Assert.True(options.RequestBodyBytes(Caps) >= (2000 + 120) * 32 * 6);
    }

    [Theory]
    [InlineData(32 * 1024, null)]
    [InlineData(null, 64 * 1024)]
    public void A_configured_limit_too_small_for_a_full_length_message_is_refused_at_start(int? hubFrame, int? requestBody)
    {
        var result = _validator.Validate(null, new ApiOptions { MaxHubMessageBytes = hubFrame, MaxRequestBodyBytes = requestBody });

        Assert.True(result.Failed);
        Assert.Contains(hubFrame is null ? "Api:MaxRequestBodyBytes" : "Api:MaxHubMessageBytes", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Messaging:MaxBodyCharacters", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_limit_above_the_sized_one_is_used()
    {
        var options = new ApiOptions { MaxHubMessageBytes = 1024 * 1024 };

        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.Equal(1024 * 1024, options.HubFrameBytes(Caps));
    }

    [Theory]
    [InlineData("https://portal.example.org")]
    [InlineData("portal.example.org/path")]
    [InlineData(" ")]
    public void An_allowed_host_that_is_not_a_host_name_is_refused_at_start(string host)
    {
        var result = _validator.Validate(null, new ApiOptions { AllowedHosts = [host] });

        Assert.True(result.Failed);
        Assert.Contains("Api:AllowedHosts", result.FailureMessage, StringComparison.Ordinal);
    }
}
