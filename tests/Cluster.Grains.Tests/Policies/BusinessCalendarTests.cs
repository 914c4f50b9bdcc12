using System.Text.Json;
using Cluster.Grains.Policies;

namespace Cluster.Grains.Tests.Policies;

public sealed class BusinessCalendarTests
{
    private static readonly TimeSpan Edt = TimeSpan.FromHours(-4);
    private static readonly TimeSpan Est = TimeSpan.FromHours(-5);

    private static BusinessCalendar NewYork(params DateOnly[] holidays) =>
        BusinessCalendar.Create(new BusinessHoursSettings { TimeZoneId = "America/New_York", Holidays = holidays });

    // June 2026 is daylight time in New York: Sunday the 14th, Monday the 15th, Friday the 19th.
    private static DateTimeOffset June(int day, int hour, int minute = 0) => new(2026, 6, day, hour, minute, 0, Edt);

    [Theory]
    [InlineData(14, 12, 0)] // Sunday noon
    [InlineData(12, 18, 0)] // Friday 18:00
    [InlineData(15, 7, 30)] // Monday before opening
    public void TwoBusinessDaysFromTheseTimesEndTuesdayAtClose(int day, int hour, int minute)
    {
        Assert.Equal(June(16, 17), NewYork().Deadline(June(day, hour, minute), 2));
    }

    [Theory]
    [InlineData(8, 0)]
    [InlineData(10, 0)]
    [InlineData(18, 0)]
    public void AMessageFromOpeningOnMondayIsDueWednesdayAtClose(int hour, int minute)
    {
        Assert.Equal(June(17, 17), NewYork().Deadline(June(15, hour, minute), 2));
    }

    [Fact]
    public void AHolidayOnTuesdayPushesTheDeadlineToWednesday()
    {
        Assert.Equal(June(17, 17), NewYork(new DateOnly(2026, 6, 16)).Deadline(June(14, 12), 2));
    }

    [Fact]
    public void AHolidayOnTheDayOfReceiptDoesNotCountEvenBeforeOpening()
    {
        Assert.Equal(June(17, 17), NewYork(new DateOnly(2026, 6, 15)).Deadline(June(15, 7), 2));
    }

    [Fact]
    public void TheTimeOfReceiptIsReadOnTheTeamsClock()
    {
        // 11:30 UTC is 07:30 in New York, before Monday's opening.
        var receivedAt = new DateTimeOffset(2026, 6, 15, 11, 30, 0, TimeSpan.Zero);

        Assert.Equal(June(16, 17), NewYork().Deadline(receivedAt, 2));
    }

    [Fact]
    public void ADeadlineAcrossTheSpringDaylightChangeCarriesTheNewOffset()
    {
        // Clocks go forward on Sunday 8 March 2026.
        var deadline = NewYork().Deadline(new DateTimeOffset(2026, 3, 6, 10, 0, 0, Est), 2);

        Assert.Equal(new DateTimeOffset(2026, 3, 10, 17, 0, 0, Edt), deadline);
        Assert.Equal(Edt, deadline.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 21, 0, 0, TimeSpan.Zero), deadline.ToUniversalTime());
    }

    [Fact]
    public void ADeadlineAcrossTheAutumnDaylightChangeCarriesTheNewOffset()
    {
        // Clocks go back on Sunday 1 November 2026.
        var deadline = NewYork().Deadline(new DateTimeOffset(2026, 10, 30, 10, 0, 0, Edt), 2);

        Assert.Equal(Est, deadline.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 17, 0, 0, Est), deadline);
    }

    [Fact]
    public void AClosingTimeTheClocksSkipLandsAsMuchLaterAsTheGap()
    {
        var calendar = BusinessCalendar.Create(new BusinessHoursSettings
        {
            TimeZoneId = "America/New_York",
            Days = new Dictionary<DayOfWeek, string> { [DayOfWeek.Sunday] = "01:00-02:30" },
        });

        var deadline = calendar.Deadline(new DateTimeOffset(2026, 3, 7, 12, 0, 0, Est), 1);

        Assert.Equal(new DateTimeOffset(2026, 3, 8, 3, 30, 0, Edt), deadline);
    }

    [Fact]
    public void AClosingTimeThatOccursTwiceIsTheLaterOne()
    {
        var calendar = BusinessCalendar.Create(new BusinessHoursSettings
        {
            TimeZoneId = "America/New_York",
            Days = new Dictionary<DayOfWeek, string> { [DayOfWeek.Sunday] = "00:30-01:30" },
        });

        var deadline = calendar.Deadline(new DateTimeOffset(2026, 10, 31, 12, 0, 0, Edt), 1);

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 1, 30, 0, Est), deadline);
        Assert.Equal(Est, deadline.Offset);
    }

    [Fact]
    public void OneBusinessDayFromSundayIsMondayAtClose()
    {
        Assert.Equal(June(15, 17), NewYork().Deadline(June(14, 12), 1));
    }

    [Theory]
    [InlineData(15, 8, 0, true)]
    [InlineData(15, 16, 59, true)]
    [InlineData(15, 7, 59, false)]
    [InlineData(15, 17, 0, false)]
    [InlineData(13, 10, 0, false)] // Saturday
    [InlineData(19, 10, 0, false)] // Friday holiday below
    public void TheTeamIsOpenOnlyDuringBusinessHoursOnBusinessDays(int day, int hour, int minute, bool open)
    {
        Assert.Equal(open, NewYork(new DateOnly(2026, 6, 19)).IsOpen(June(day, hour, minute)));
    }

    [Fact]
    public void OpennessIsJudgedOnTheTeamsClock()
    {
        // 12:30 UTC on Monday is 08:30 in New York.
        Assert.True(NewYork().IsOpen(new DateTimeOffset(2026, 6, 15, 12, 30, 0, TimeSpan.Zero)));
        Assert.False(BusinessCalendar.Create(new BusinessHoursSettings { TimeZoneId = "Asia/Tokyo" })
            .IsOpen(new DateTimeOffset(2026, 6, 15, 12, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void WithoutDaysTheWeekIsMondayToFridayEightToFive()
    {
        var calendar = NewYork();

        Assert.All(Enumerable.Range(15, 5), day => Assert.True(calendar.IsOpen(June(day, 8))));
        Assert.False(calendar.IsOpen(June(13, 12)));
        Assert.False(calendar.IsOpen(June(14, 12)));
    }

    [Fact]
    public void SettingsReadFromJsonBuildTheCalendar()
    {
        const string json = """
            {
              "TimeZoneId": "America/New_York",
              "Days": { "Saturday": "09:00-12:00", "Monday": "closed" },
              "Holidays": [ "2026-06-20" ]
            }
            """;

        var calendar = BusinessCalendar.Create(JsonSerializer.Deserialize<BusinessHoursSettings>(json)!);

        Assert.False(calendar.IsOpen(June(15, 10)));
        Assert.False(calendar.IsOpen(June(20, 10)));
        Assert.True(calendar.IsOpen(June(27, 10)));
        Assert.Equal(new DateTimeOffset(2026, 6, 27, 12, 0, 0, Edt), calendar.Deadline(June(15, 10), 1));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    public void AnUnknownOrMissingTimeZoneIsRejectedByName(string id)
    {
        var error = Assert.Throws<ArgumentException>(() => BusinessCalendar.Create(new BusinessHoursSettings { TimeZoneId = id }));

        Assert.Contains(id.Length > 0 ? id : "time zone", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("17:00-08:00")]
    [InlineData("09:00-09:00")]
    [InlineData("9 to 5")]
    [InlineData("08:00-25:00")]
    public void HoursThatDoNotOpenBeforeTheyCloseAreRejected(string hours)
    {
        var settings = new BusinessHoursSettings
        {
            TimeZoneId = "America/New_York",
            Days = new Dictionary<DayOfWeek, string> { [DayOfWeek.Monday] = hours },
        };

        var error = Assert.Throws<ArgumentException>(() => BusinessCalendar.Create(settings));

        Assert.Contains("Monday", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWeekWithNoOpenDayIsRejected()
    {
        var settings = new BusinessHoursSettings
        {
            TimeZoneId = "America/New_York",
            Days = new Dictionary<DayOfWeek, string> { [DayOfWeek.Monday] = "closed" },
        };

        Assert.Throws<ArgumentException>(() => BusinessCalendar.Create(settings));
    }

    [Fact]
    public void ADeadlineNeedsAtLeastOneBusinessDay()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewYork().Deadline(June(15, 10), 0));
    }
}
