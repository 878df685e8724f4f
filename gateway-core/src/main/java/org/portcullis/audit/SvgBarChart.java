package org.portcullis.audit;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart as inline SVG (SVG 1.1, no script, no external reference), one group of bars per UTC day. Every
 * bar carries its figure three ways, so it can be read without seeing colours: an {@code aria-label} and an SVG
 * {@code <title>} (a tooltip in browsers) such as "2026-11-01: 3 sign-ins succeeded", and, where the bars are wide
 * enough, the number printed above it. All text passes through {@link HtmlText#escape}.
 */
final class SvgBarChart {
    static final int WIDTH = 960;
    static final int HEIGHT = 240;
    private static final int LEFT = 44;
    private static final int RIGHT = 8;
    private static final int TOP = 16;
    private static final int BOTTOM = 36;
    /** Narrower day slots than this get no printed numbers and only every few day labels. */
    private static final double LABELLED_SLOT = 22;
    private static final DateTimeFormatter MONTH_DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

    /**
     * One series: its legend name, how one bar is described ({@code "%d sign-ins succeeded"}), its CSS class and one
     * value per day.
     */
    record Series(String name, String description, String cssClass, long[] values) {
    }

    private SvgBarChart() {
    }

    static String render(String title, List<LocalDate> days, List<Series> series) {
        int n = Math.max(1, days.size());
        long max = 0;
        for (Series s : series) {
            for (long v : s.values()) {
                max = Math.max(max, v);
            }
        }
        long step = tickStep(max);
        long top = Math.max(step, (max + step - 1) / step * step);
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double slot = plotWidth / n;
        double bar = slot * 0.8 / series.size();
        StringBuilder svg = new StringBuilder(4096 + days.size() * series.size() * 200);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" aria-label=\"").append(HtmlText.escape(title)).append("\"><title>")
                .append(HtmlText.escape(title)).append("</title>");
        for (long tick = 0; tick <= top; tick += step) {
            double y = TOP + plotHeight - plotHeight * tick / top;
            svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(fmt(y)).append("\" y2=\"").append(fmt(y)).append("\"/>")
                    .append("<text class=\"axis\" text-anchor=\"end\" x=\"").append(LEFT - 6).append("\" y=\"")
                    .append(fmt(y + 4)).append("\">").append(tick).append("</text>");
        }
        int labelEvery = slot >= LABELLED_SLOT ? 1 : (int) Math.ceil(LABELLED_SLOT / slot);
        for (int d = 0; d < days.size(); d++) {
            LocalDate day = days.get(d);
            double x0 = LEFT + slot * d + slot * 0.1;
            svg.append("<g class=\"day\" data-day=\"").append(day).append("\">");
            for (int s = 0; s < series.size(); s++) {
                Series each = series.get(s);
                long value = each.values()[d];
                double height = plotHeight * value / top;
                double x = x0 + bar * s;
                double y = TOP + plotHeight - height;
                String label = day + ": " + String.format(Locale.ROOT, each.description(), value);
                svg.append("<rect class=\"").append(each.cssClass()).append("\" x=\"").append(fmt(x))
                        .append("\" y=\"").append(fmt(y)).append("\" width=\"").append(fmt(bar))
                        .append("\" height=\"").append(fmt(height)).append("\" aria-label=\"")
                        .append(HtmlText.escape(label)).append("\"><title>").append(HtmlText.escape(label))
                        .append("</title></rect>");
                if (value > 0 && slot >= LABELLED_SLOT) {
                    svg.append("<text class=\"value\" text-anchor=\"middle\" x=\"").append(fmt(x + bar / 2))
                            .append("\" y=\"").append(fmt(y - 3)).append("\">").append(value).append("</text>");
                }
            }
            if (d % labelEvery == 0) {
                String text = d == 0 || day.getDayOfMonth() == 1 ? MONTH_DAY.format(day)
                        : String.valueOf(day.getDayOfMonth());
                svg.append("<text class=\"axis\" text-anchor=\"middle\" x=\"").append(fmt(LEFT + slot * d + slot / 2))
                        .append("\" y=\"").append(HEIGHT - BOTTOM + 16).append("\">").append(text).append("</text>");
            }
            svg.append("</g>");
        }
        svg.append("<line class=\"baseline\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y1=\"").append(fmt(TOP + plotHeight)).append("\" y2=\"").append(fmt(TOP + plotHeight))
                .append("\"/></svg>");
        return svg.toString();
    }

    /** 1, 2 or 5 times a power of ten, so that at most five grid lines cover {@code max}. */
    static long tickStep(long max) {
        long step = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (max <= step * m * 4) {
                    return step * m;
                }
            }
            step *= 10;
        }
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
