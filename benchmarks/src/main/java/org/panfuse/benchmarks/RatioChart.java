package org.panfuse.benchmarks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The ratio table as a picture: a grouped horizontal bar chart with one
 * group per workload and setting, and in it one bar per reference (bare,
 * passthrough_hp of libfuse 3.14, and of 3.18 where it ran), each bar
 * panfuse's score over the reference's: the mean of the per-round ratios,
 * their min–max as a whisker. The scale is logarithmic and the bars grow from
 * 1.0, so that 0.5 and 2 are as far from parity, to the left where panfuse is
 * slower, to the right where it is faster.
 *
 * <p>Hand-written SVG: no dependency, the same figures give the same bytes,
 * and GitHub shows it where the README links it.
 */
final class RatioChart {
    /** The mode drawn: panfuse as mounted by default. */
    static final String NUMERATOR = "panfuse";
    private static final List<String> DENOMINATORS = List.of("bare", "passthrough_hp", "passthrough_hp_318");
    /** Okabe–Ito colours: told apart with any colour vision. */
    private static final Map<String, String> COLOURS = Map.of("bare", "#0072B2", "passthrough_hp", "#E69F00",
            "passthrough_hp_318", "#009E73");
    /** The 1-2-5 steps of a decade: the axis's ticks and ends. */
    private static final double[] STEPS = {1, 2, 5};

    private static final int WIDTH = 920;
    /** The groups' labels end here; the gap up to the plot takes the figures of bars that reach its left end. */
    private static final int LABELS_RIGHT = 200;
    private static final int PLOT_LEFT = 250;
    /** And the margin on the right the figures of bars that reach its right end. */
    private static final int PLOT_RIGHT = 860;
    private static final int TOP = 132;
    private static final int BAR = 11;
    private static final int BAR_GAP = 3;
    private static final int GROUP_PAD = 8;
    private static final int BOTTOM = 58;
    private static final String FONT = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif";

    /** One bar: a workload in a setting, against one reference. */
    record Bar(String workload, String setting, String reference, double mean, double min, double max) {
    }

    private RatioChart() {
    }

    /** The bars of {@code scores}: one per workload, setting and reference that both sides ran. */
    static List<Bar> bars(List<ResultsTable.Score> scores) {
        List<Bar> bars = new ArrayList<>();
        for (var row : ResultsTable.grid(scores).entrySet()) {
            String[] key = row.getKey().split("\\|", -1);
            for (String reference : DENOMINATORS) {
                List<Double> ratios = ResultsTable.roundRatios(row.getValue().get(NUMERATOR), row.getValue().get(reference));
                if (!ratios.isEmpty()) {
                    bars.add(new Bar(key[0], key[1], reference, ResultsTable.mean(ratios),
                            ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                            ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
                }
            }
        }
        return bars;
    }

    /**
     * The chart of {@code scores} as an SVG document.
     *
     * @param run the run's name, shown under the title (run.sh names runs by date and time)
     */
    static String svg(List<ResultsTable.Score> scores, String run) {
        List<Bar> bars = bars(scores);
        List<String> references = DENOMINATORS.stream().filter(d -> bars.stream().anyMatch(b -> b.reference().equals(d)))
                .toList();
        Set<String> groups = new LinkedHashSet<>();
        bars.forEach(b -> groups.add(b.workload() + "|" + b.setting()));
        int groupHeight = Math.max(1, references.size()) * (BAR + BAR_GAP) - BAR_GAP + 2 * GROUP_PAD;
        int plotBottom = TOP + groups.size() * groupHeight;
        int height = plotBottom + BOTTOM;
        long rounds = scores.stream().map(ResultsTable.Score::round).distinct().count();

        double lo = 0.5;
        double hi = 2;
        for (Bar b : bars) {
            lo = Math.min(lo, b.min());
            hi = Math.max(hi, b.max());
        }
        Axis axis = new Axis(stepBelow(lo), stepAbove(hi));

        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"%s\" font-size=\"12\">%n", WIDTH, height, WIDTH, height, FONT));
        svg.append("<title>panfuse against bare and passthrough_hp, per workload and setting</title>\n");
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", WIDTH, height));
        text(svg, 16, 26, "start", "font-size=\"16\" font-weight=\"bold\"",
                "panfuse's throughput over each reference's, per workload and setting");
        text(svg, 16, 46, "start", "fill=\"#444444\"", "panfuse as mounted by default (--passthrough=auto); run "
                + run + ", mean of " + rounds + (rounds == 1 ? " round" : " rounds")
                + (rounds == 1 ? "" : " (whisker: lowest and highest round)") + ".");
        text(svg, 16, 64, "start", "fill=\"#444444\"",
                "Log scale: 1 = as fast as the reference, 2 = twice as fast, 0.5 = half as fast.");
        int legendX = 16;
        for (String reference : references) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"78\" width=\"14\" height=\"14\" fill=\"%s\"/>%n",
                    legendX, COLOURS.get(reference)));
            String label = "panfuse / " + ResultsTable.shortName(reference);
            text(svg, legendX + 20, 90, "start", "", label);
            legendX += 40 + label.length() * 7;
        }

        // Alternate bands, the grid, the parity line, the axis labels.
        int i = 0;
        for (String g : groups) {
            if (i++ % 2 == 0) {
                svg.append(String.format(Locale.ROOT, "<rect x=\"8\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f3f3f3\"/>%n",
                        TOP + (i - 1) * groupHeight, WIDTH - 16, groupHeight));
            }
        }
        for (double tick : axis.ticks()) {
            double x = axis.x(tick);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d0d0d0\"/>%n",
                    x, TOP - 6, x, plotBottom));
            text(svg, x, TOP - 12, "middle", "font-size=\"11\" fill=\"#444444\"", label(tick));
            text(svg, x, plotBottom + 16, "middle", "font-size=\"11\" fill=\"#444444\"", label(tick));
        }
        double one = axis.x(1);
        svg.append(String.format(Locale.ROOT, "<line class=\"parity\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                + "stroke=\"#222222\" stroke-width=\"1.5\"/>%n", one, TOP - 6, one, plotBottom + 4));
        text(svg, one - 8, plotBottom + 36, "end", "fill=\"#444444\"", "\u2190 panfuse slower");
        text(svg, one + 8, plotBottom + 36, "start", "fill=\"#444444\"", "panfuse faster \u2192");

        // The groups: label, then one bar per reference with its whisker and figure.
        int g = 0;
        for (String group : groups) {
            String[] key = group.split("\\|", -1);
            int y0 = TOP + g++ * groupHeight;
            text(svg, LABELS_RIGHT, y0 + groupHeight / 2.0 - 2, "end", "font-weight=\"bold\"", key[0]);
            text(svg, LABELS_RIGHT, y0 + groupHeight / 2.0 + 12, "end", "fill=\"#555555\"", key[1]);
            int r = 0;
            for (String reference : references) {
                int y = y0 + GROUP_PAD + r++ * (BAR + BAR_GAP);
                Bar b = bars.stream().filter(x -> x.workload().equals(key[0]) && x.setting().equals(key[1])
                        && x.reference().equals(reference)).findFirst().orElse(null);
                if (b != null) {
                    bar(svg, axis, b, y);
                }
            }
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void bar(StringBuilder svg, Axis axis, Bar b, int y) {
        double one = axis.x(1);
        double end = axis.x(b.mean());
        double x = Math.min(one, end);
        double width = Math.max(1, Math.abs(end - one));
        String range = b.min() == b.max() ? "" : String.format(Locale.ROOT, " (%.2f\u2013%.2f)", b.min(), b.max());
        svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                + "fill=\"%s\"><title>%s</title></rect>%n", x, y, width, BAR, COLOURS.get(b.reference()),
                escape(b.workload() + ", " + b.setting() + ": panfuse / " + ResultsTable.shortName(b.reference()) + " "
                        + String.format(Locale.ROOT, "%.2f", b.mean()) + range)));
        double mid = y + BAR / 2.0;
        if (b.min() != b.max()) {
            double x0 = axis.x(b.min());
            double x1 = axis.x(b.max());
            svg.append(String.format(Locale.ROOT, "<path class=\"range\" d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f %.1fV%.1f\" "
                    + "stroke=\"#222222\" fill=\"none\"/>%n", x0, mid, x1, x0, mid - 3, mid + 3, x1, mid - 3, mid + 3));
        }
        // The figure beyond the bar and its whisker, on the side the bar grows to.
        boolean right = b.mean() >= 1;
        double at = right ? Math.max(end, axis.x(b.max())) + 4 : Math.min(end, axis.x(b.min())) - 4;
        text(svg, at, mid + 4, right ? "start" : "end", "font-size=\"10\" fill=\"#222222\"",
                String.format(Locale.ROOT, "%.2f", b.mean()));
    }

    /** The log-scale x axis from {@code lo} to {@code hi} over the plot's width. */
    private record Axis(double lo, double hi) {
        double x(double v) {
            double clamped = Math.max(lo, Math.min(hi, v));
            return PLOT_LEFT + (Math.log(clamped) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))
                    * (PLOT_RIGHT - PLOT_LEFT);
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            for (double t = lo; t <= hi * 1.0001; t = stepAbove(t * 1.0001)) {
                ticks.add(t);
            }
            return ticks;
        }
    }

    /** The largest 1-2-5 value at or below {@code v} (strictly below if {@code v} is one). */
    static double stepBelow(double v) {
        double decade = Math.pow(10, Math.floor(Math.log10(v)));
        for (int i = STEPS.length - 1; i >= 0; i--) {
            double s = round(STEPS[i] * decade);
            if (s < v * 0.9999) {
                return s;
            }
        }
        return round(STEPS[STEPS.length - 1] * decade / 10);
    }

    /** The smallest 1-2-5 value above {@code v}. */
    static double stepAbove(double v) {
        double decade = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : STEPS) {
            double s = round(step * decade);
            if (s > v * 1.0001) {
                return s;
            }
        }
        return round(10 * decade);
    }

    /** 1-2-5 values without floating-point dust (0.30000000000000004). */
    private static double round(double v) {
        return new BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
    }

    private static String label(double tick) {
        return BigDecimal.valueOf(tick).stripTrailingZeros().toPlainString();
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, String attributes, String text) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>%n", x, y,
                anchor, attributes.isEmpty() ? "" : " " + attributes, escape(text)));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
