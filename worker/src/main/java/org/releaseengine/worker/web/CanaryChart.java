package org.releaseengine.worker.web;

import java.util.List;
import java.util.Locale;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.worker.web.EngineRecords.WeightPoint;

/**
 * Server-side SVG charts of a canary: its weight over time as a step line, and each check's
 * measurements with its limits as dashed lines (failed measurements in red). No script needed.
 */
final class CanaryChart {

  private static final int WIDTH = 640;
  private static final int HEIGHT = 160;
  private static final int PAD = 36;

  private final long fromMs;
  private final long toMs;

  /** A time axis from the first to the last moment of {@code weights} and {@code measurements}. */
  CanaryChart(List<WeightPoint> weights, List<Measurement> measurements) {
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (WeightPoint p : weights) {
      from = Math.min(from, p.atMs());
      to = Math.max(to, p.atMs());
    }
    for (Measurement m : measurements) {
      from = Math.min(from, m.atMs());
      to = Math.max(to, m.atMs());
    }
    this.fromMs = from == Long.MAX_VALUE ? 0 : from;
    this.toMs = to <= from ? fromMs + 1000 : to;
  }

  /** The weight in percent over time. */
  String weight(List<WeightPoint> points) {
    Html svg = open("canary weight", "weight %");
    axis(svg, 0, 100);
    StringBuilder path = new StringBuilder();
    int previous = 0;
    for (WeightPoint p : points) {
      double x = x(p.atMs());
      if (path.length() == 0) {
        path.append(String.format(Locale.ROOT, "M%.1f,%.1f ", x, y(p.weight(), 0, 100)));
      } else {
        path.append(String.format(Locale.ROOT, "L%.1f,%.1f ", x, y(previous, 0, 100)));
        path.append(String.format(Locale.ROOT, "L%.1f,%.1f ", x, y(p.weight(), 0, 100)));
      }
      previous = p.weight();
      svg.raw(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#1f6feb\"><title>",
                  x,
                  y(p.weight(), 0, 100)))
          .text(p.weight() + "% at " + Html.time(p.atMs()) + ": " + p.step())
          .raw("</title></circle>");
    }
    if (path.length() > 0) {
      path.append(String.format(Locale.ROOT, "L%.1f,%.1f", x(toMs), y(previous, 0, 100)));
      svg.raw("<path class=\"weight\" fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\" d=\"")
          .raw(path.toString())
          .raw("\"/>");
    }
    return svg.raw("</svg>").toString();
  }

  /** One check's measurements against its limits (null {@code check}: limits unknown). */
  String check(String name, MetricCheck check, List<Measurement> measurements) {
    Double min = check == null ? null : check.min();
    Double max = check == null ? null : check.max();
    Range range = Range.of(measurements, min, max);
    Html svg = open("check " + name, name);
    axis(svg, range.lo(), range.hi());
    for (Double limit : new Double[] {min, max}) {
      if (limit != null) {
        limit(svg, (limit.equals(min) ? "min " : "max ") + format(limit), y(limit, range));
      }
    }
    measurements(svg, measurements, range);
    return svg.raw("</svg>").toString();
  }

  /** The values a check's chart shows: its measurements and limits, with a margin. */
  private record Range(double lo, double hi) {

    static Range of(List<Measurement> measurements, Double min, Double max) {
      double lo = Double.MAX_VALUE;
      double hi = -Double.MAX_VALUE;
      for (Measurement m : measurements) {
        if (m.value() != null) {
          lo = Math.min(lo, m.value());
          hi = Math.max(hi, m.value());
        }
      }
      for (Double limit : new Double[] {min, max}) {
        if (limit != null) {
          lo = Math.min(lo, limit);
          hi = Math.max(hi, limit);
        }
      }
      if (lo == Double.MAX_VALUE) {
        lo = 0;
        hi = 1;
      }
      double margin = hi > lo ? (hi - lo) * 0.1 : Math.max(Math.abs(hi) * 0.1, 1);
      return new Range(lo - margin, hi + margin);
    }
  }

  /** A limit: a dashed red line across the chart at {@code y}, labelled. */
  private static void limit(Html svg, String label, double y) {
    svg.raw(
            String.format(
                Locale.ROOT,
                "<line class=\"limit\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\""
                    + " stroke=\"#cf222e\" stroke-dasharray=\"6 4\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" fill=\"#cf222e\">",
                PAD,
                y,
                WIDTH - 4,
                y,
                WIDTH - 80,
                y - 3))
        .text(label)
        .raw("</text>");
  }

  /** The measurements with a value, as points (red when failed) joined by a line. */
  private void measurements(Html svg, List<Measurement> measurements, Range range) {
    StringBuilder line = new StringBuilder();
    for (Measurement m : measurements) {
      if (m.value() == null) {
        continue;
      }
      double x = x(m.atMs());
      double y = y(m.value(), range);
      line.append(line.length() == 0 ? "M" : "L")
          .append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      String colour = m.verdict() == Measurement.Verdict.PASS ? "#1a7f37" : "#cf222e";
      svg.raw(
              String.format(
                  Locale.ROOT,
                  "<circle class=\"measurement\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>",
                  x,
                  y,
                  colour))
          .text(format(m.value()) + " " + m.verdict() + " at " + Html.time(m.atMs()))
          .raw("</title></circle>");
    }
    if (line.length() > 0) {
      svg.raw("<path fill=\"none\" stroke=\"#57606a\" d=\"").raw(line.toString()).raw("\"/>");
    }
  }

  private static double y(double value, Range range) {
    return y(value, range.lo(), range.hi());
  }

  private Html open(String label, String title) {
    return new Html()
        .raw(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
                + WIDTH
                + "\" height=\""
                + HEIGHT
                + "\" role=\"img\" aria-label=\"")
        .text(label)
        .raw("\"><text x=\"4\" y=\"12\" font-size=\"11\">")
        .text(title)
        .raw("</text>");
  }

  private void axis(Html svg, double lo, double hi) {
    svg.raw(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#8c959f\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#8c959f\"/>",
            PAD,
            HEIGHT - PAD / 2,
            WIDTH - 4,
            HEIGHT - PAD / 2,
            PAD,
            PAD / 2,
            PAD,
            HEIGHT - PAD / 2));
    svg.raw(
            String.format(
                Locale.ROOT, "<text x=\"2\" y=\"%d\" font-size=\"10\">", HEIGHT - PAD / 2))
        .text(format(lo))
        .raw(
            String.format(
                Locale.ROOT, "</text><text x=\"2\" y=\"%d\" font-size=\"10\">", PAD / 2 + 8))
        .text(format(hi))
        .raw(
            String.format(
                Locale.ROOT, "</text><text x=\"%d\" y=\"%d\" font-size=\"10\">", PAD, HEIGHT - 4))
        .text(Html.time(fromMs))
        .raw(
            String.format(
                Locale.ROOT,
                "</text><text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">",
                WIDTH - 4,
                HEIGHT - 4))
        .text(Html.time(toMs))
        .raw("</text>");
  }

  private double x(long atMs) {
    return PAD + (double) (atMs - fromMs) / (toMs - fromMs) * (WIDTH - PAD - 8);
  }

  private static double y(double value, double lo, double hi) {
    double top = PAD / 2.0;
    double bottom = HEIGHT - PAD / 2.0;
    return bottom - (value - lo) / (hi - lo) * (bottom - top);
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e12
        ? String.valueOf((long) value)
        : String.format(Locale.ROOT, "%.3g", value);
  }
}
