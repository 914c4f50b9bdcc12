using System.Globalization;
using Cluster.Api.Input;

namespace Cluster.Api.Tests.Input;

/// <summary>Problem sentences read the same whatever culture the node runs under.</summary>
public sealed class InputProblemsTests
{
    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("hi-IN")]
    public void The_size_limit_in_a_413_is_written_with_invariant_digit_grouping_under_any_culture(string culture)
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);

            var problem = InputProblems.TooLarge(412_936).ProblemDetails;

            Assert.Contains("larger than 412,936 bytes", problem.Detail, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
