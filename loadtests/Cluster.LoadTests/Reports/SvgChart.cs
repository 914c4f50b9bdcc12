using System.Globalization;
using System.Text;

namespace Cluster.LoadTests.Reports;

/// <summary>A point of a chart series.</summary>
internal readonly record struct ChartPoint(double X, double Y);

/// <summary>One line of a chart; lines given the same <see cref="Color"/> (an index into the palette) share it, otherwise each has its own.</summary>
internal sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points, bool Dashed = false, int? Color = null);

/// <summary>
/// A line chart as inline SVG: the values scaled into a 720×240 plot from zero to a round maximum, axes with round
/// tick values, one polyline per series and a legend under the plot. No script, no external resource.
/// </summary>
internal static class SvgChart
{
    private const double PlotWidth = 720;
    private const double PlotHeight = 240;
    private const double Left = 64;
    private const double Top = 12;
    private const double Right = 16;
    private const int LegendColumns = 3;
    private const double LegendColumnWidth = 240;
    private const double LegendRowHeight = 18;
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    public static void Write(StringBuilder html, string label, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series)
    {
        var points = series.SelectMany(line => line.Points).Where(point => double.IsFinite(point.X) && double.IsFinite(point.Y)).ToList();
        var (xMax, xStep) = Scale(points.Count == 0 ? 0 : points.Max(point => point.X));
        var (yMax, yStep) = Scale(points.Count == 0 ? 0 : points.Max(point => point.Y));
        var legendRows = (series.Count + LegendColumns - 1) / LegendColumns;
        var width = Left + PlotWidth + Right;
        var height = Top + PlotHeight + 44 + legendRows * LegendRowHeight;
        double X(double value) => Left + value / xMax * PlotWidth;
        double Y(double value) => Top + PlotHeight - value / yMax * PlotHeight;

        html.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(width)}\" height=\"{N(height)}\" viewBox=\"0 0 {N(width)} {N(height)}\" role=\"img\" aria-label=\"{Html.Escape(label)}\">\n");
        html.Append($"<title>{Html.Escape(label)}</title>\n");

        foreach (var tick in Ticks(yMax, yStep))
        {
            html.Append($"<line x1=\"{N(Left)}\" y1=\"{N(Y(tick))}\" x2=\"{N(Left + PlotWidth)}\" y2=\"{N(Y(tick))}\" stroke=\"#e4e4e4\" stroke-width=\"1\" />\n");
            html.Append($"<text x=\"{N(Left - 6)}\" y=\"{N(Y(tick) + 4)}\" text-anchor=\"end\">{TickLabel(tick, yStep)}</text>\n");
        }

        foreach (var tick in Ticks(xMax, xStep))
        {
            html.Append($"<line x1=\"{N(X(tick))}\" y1=\"{N(Top + PlotHeight)}\" x2=\"{N(X(tick))}\" y2=\"{N(Top + PlotHeight + 4)}\" stroke=\"#666\" stroke-width=\"1\" />\n");
            html.Append($"<text x=\"{N(X(tick))}\" y=\"{N(Top + PlotHeight + 16)}\" text-anchor=\"middle\">{TickLabel(tick, xStep)}</text>\n");
        }

        html.Append($"<line x1=\"{N(Left)}\" y1=\"{N(Top)}\" x2=\"{N(Left)}\" y2=\"{N(Top + PlotHeight)}\" stroke=\"#666\" stroke-width=\"1\" />\n");
        html.Append($"<line x1=\"{N(Left)}\" y1=\"{N(Top + PlotHeight)}\" x2=\"{N(Left + PlotWidth)}\" y2=\"{N(Top + PlotHeight)}\" stroke=\"#666\" stroke-width=\"1\" />\n");
        html.Append($"<text x=\"{N(Left + PlotWidth / 2)}\" y=\"{N(Top + PlotHeight + 32)}\" text-anchor=\"middle\">{Html.Escape(xLabel)}</text>\n");
        html.Append($"<text transform=\"translate(14 {N(Top + PlotHeight / 2)}) rotate(-90)\" text-anchor=\"middle\">{Html.Escape(yLabel)}</text>\n");

        if (points.Count == 0)
            html.Append($"<text x=\"{N(Left + PlotWidth / 2)}\" y=\"{N(Top + PlotHeight / 2)}\" text-anchor=\"middle\">no data</text>\n");

        for (var index = 0; index < series.Count; index++)
        {
            var line = series[index];
            var color = Palette[(line.Color ?? index) % Palette.Length];
            var dash = line.Dashed ? " stroke-dasharray=\"6 4\"" : "";
            var coordinates = line.Points
                .Where(point => double.IsFinite(point.X) && double.IsFinite(point.Y))
                .Select(point => $"{N(X(point.X))},{N(Y(point.Y))}")
                .ToList();
            if (coordinates.Count > 0)
                html.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\"{dash} points=\"{string.Join(' ', coordinates)}\" />\n");
            if (coordinates.Count == 1)
            {
                var point = line.Points[0];
                html.Append($"<circle cx=\"{N(X(point.X))}\" cy=\"{N(Y(point.Y))}\" r=\"3\" fill=\"{color}\" />\n");
            }

            var legendX = Left + index % LegendColumns * LegendColumnWidth;
            var legendY = Top + PlotHeight + 50 + index / LegendColumns * LegendRowHeight;
            html.Append($"<line x1=\"{N(legendX)}\" y1=\"{N(legendY - 4)}\" x2=\"{N(legendX + 24)}\" y2=\"{N(legendY - 4)}\" stroke=\"{color}\" stroke-width=\"2\"{dash} />\n");
            html.Append($"<text x=\"{N(legendX + 30)}\" y=\"{N(legendY)}\">{Html.Escape(line.Name)}</text>\n");
        }

        html.Append("</svg>\n");
    }

    /// <summary>A round axis maximum at or above <paramref name="max"/> and a round step giving about five ticks.</summary>
    internal static (double Max, double Step) Scale(double max)
    {
        if (!double.IsFinite(max) || max <= 0)
            max = 1;

        var step = RoundStep(max / 5);
        return (Math.Ceiling(max / step - 1e-9) * step, step);
    }

    private static IEnumerable<double> Ticks(double max, double step)
    {
        var count = (int)Math.Round(max / step);
        for (var index = 0; index <= count; index++)
            yield return index * step;
    }

    // As many decimals as the step needs, and no more: 0.005 steps read 0.005, 0.010, ...; 50 steps read 50, 100, ...
    private static string TickLabel(double value, double step)
    {
        var decimals = Math.Clamp(-(int)Math.Floor(Math.Log10(step)), 0, 6);
        return value.ToString(decimals == 0 ? "#,0" : "#,0." + new string('0', decimals), CultureInfo.InvariantCulture);
    }

    // 1, 2 or 5 times a power of ten, the smallest at or above the raw step.
    private static double RoundStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
