package io.appmanager.bench;

import io.vertx.core.json.JsonObject;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * PNG line charts with plain Java2D (headless, no plotting library): both axes logarithmic (rates and
 * latencies across decades), or both linear (time series), one line per target and session count.
 */
final class Plots {

    private static final int W = 900;
    private static final int H = 560;
    private static final int LEFT = 90;
    private static final int RIGHT = 230;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    private Plots() {
    }

    /** One series: a label and its (x, y) points in x order. */
    record Series(String label, List<double[]> points, boolean dashed, int colour) {
    }

    static List<Path> fanout(List<JsonObject> rows, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        Path deliveries = dir.resolve("fanout-deliveries.png");
        Path latency = dir.resolve("fanout-latency.png");
        chart(deliveries, "Fan-out: achieved vs offered deliveries/s", "offered deliveries/s", "achieved deliveries/s",
                series(rows, r -> r.getLong("achieved_deliveries_per_s"), "", false), true);
        List<Series> lat = new ArrayList<>(series(rows, r -> r.getJsonObject("latency_ms").getDouble("p99"), " p99", false));
        lat.addAll(series(rows, r -> r.getJsonObject("latency_ms").getDouble("p50"), " p50", true));
        chart(latency, "Fan-out: publish-to-deliver latency (ms)", "offered deliveries/s", "latency ms",
                lat, false);
        return List.of(deliveries, latency);
    }

    /** Idle bytes per session against N, per target: heap plus direct (solid) and RSS (dashed). */
    static List<Path> idle(List<JsonObject> rows, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        Path file = dir.resolve("idle-bytes-per-session.png");
        List<JsonObject> measured = rows.stream().filter(r -> r.containsKey("per_session_bytes")).toList();
        List<Series> lines = new ArrayList<>();
        for (String key : new String[]{"heap_plus_direct", "rss"}) {
            Map<String, List<double[]>> byTarget = new LinkedHashMap<>();
            for (JsonObject r : measured) {
                byTarget.computeIfAbsent(r.getString("target"), k -> new ArrayList<>())
                        .add(new double[]{r.getInteger("sessions"), r.getJsonObject("per_session_bytes").getLong(key)});
            }
            int c = 0;
            for (Map.Entry<String, List<double[]>> e : byTarget.entrySet()) {
                lines.add(new Series(e.getKey() + (key.equals("rss") ? " RSS" : " heap+direct"), e.getValue(), key.equals("rss"), c++));
            }
        }
        chart(file, "Idle footprint: bytes per idle session", "sessions", "bytes per session", lines, false);
        return List.of(file);
    }

    /** Sessions resumed (or reconnected, raw Vert.x) against seconds since the drop, per target and N. */
    static List<Path> reconnect(List<JsonObject> rows, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        Path file = dir.resolve("reconnect-resumed-over-time.png");
        List<Series> lines = new ArrayList<>();
        int c = 0;
        for (JsonObject r : rows) {
            List<double[]> points = new ArrayList<>();
            for (Object o : r.getJsonArray("resumed_over_time", new io.vertx.core.json.JsonArray())) {
                io.vertx.core.json.JsonArray p = (io.vertx.core.json.JsonArray) o;
                points.add(new double[]{p.getDouble(0), p.getDouble(1)});
            }
            lines.add(new Series(r.getString("target") + " n=" + r.getInteger("sessions"), points, false, c++));
        }
        chart(file, "Reconnect storm: sessions back after the drop", "seconds since the drop", "sessions resumed", lines, false, false);
        return List.of(file);
    }

    private static List<Series> series(List<JsonObject> rows, ToDoubleFunction<JsonObject> y, String suffix, boolean dashed) {
        Map<String, List<double[]>> byKey = new LinkedHashMap<>();
        for (JsonObject r : rows) {
            String key = r.getString("target") + " n=" + r.getInteger("sessions");
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[]{r.getInteger("offered_deliveries_per_s"), y.applyAsDouble(r)});
        }
        List<Series> out = new ArrayList<>();
        int c = 0;
        for (Map.Entry<String, List<double[]>> e : byKey.entrySet()) {
            out.add(new Series(e.getKey() + suffix, e.getValue(), dashed, c++));
        }
        return out;
    }

    /** A log-log chart; {@code diagonal} draws y = x (achieved = offered). */
    static void chart(Path file, String title, String xLabel, String yLabel, List<Series> series, boolean diagonal)
            throws IOException {
        chart(file, title, xLabel, yLabel, series, diagonal, true);
    }

    /** One axis: its range and how values map onto it (logarithmic, or linear from zero for time series). */
    private record Axis(boolean log, double lo, double hi) {

        static Axis of(double min, double max, boolean log) {
            if (log) {
                double lo = Math.floor(Math.log10(min)), hi = Math.ceil(Math.log10(max));
                return new Axis(true, lo, hi == lo ? hi + 1 : hi);
            }
            double step = step(max);
            return new Axis(false, 0, Math.max(step, Math.ceil(max / step) * step));
        }

        /** Where {@code v} lies between the ends, 0 to 1. */
        double pos(double v) {
            return ((log ? Math.log10(v) : v) - lo) / (hi - lo);
        }

        /** The values at the ends of the axis. */
        double start() {
            return log ? Math.pow(10, lo) : lo;
        }

        double end() {
            return log ? Math.pow(10, hi) : hi;
        }

        boolean plottable(double v) {
            return !log || v > 0;
        }

        /** Grid values and whether each is a major line: powers of ten (1, 2, 5 between), or round linear steps. */
        List<double[]> ticks() {
            List<double[]> out = new ArrayList<>();
            if (log) {
                for (double d = lo; d <= hi; d++) {
                    for (int m : new int[]{1, 2, 5}) {
                        double v = m * Math.pow(10, d);
                        if (Math.log10(v) > hi) {
                            break;
                        }
                        out.add(new double[]{v, m == 1 ? 1 : 0});
                    }
                }
            } else {
                double step = step(hi);
                for (int i = 0; i * step <= hi + step / 1e6; i++) {
                    out.add(new double[]{i * step, 1});
                }
            }
            return out;
        }

        /** A round step (1, 2 or 5 times a power of ten) giving five to ten grid lines up to {@code max}. */
        private static double step(double max) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(max > 0 ? max : 1)));
            for (double m : new double[]{0.1, 0.2, 0.5, 1, 2, 5}) {
                if (max / (m * magnitude) <= 10) {
                    return m * magnitude;
                }
            }
            return 10 * magnitude;
        }
    }

    /** A chart with both axes logarithmic, or both linear from zero ({@code logarithmic} false). */
    static void chart(Path file, String title, String xLabel, String yLabel, List<Series> series, boolean diagonal,
                      boolean logarithmic) throws IOException {
        double minX = Double.MAX_VALUE, maxX = 0, minY = Double.MAX_VALUE, maxY = 0;
        for (Series s : series) {
            for (double[] p : s.points()) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                if (p[1] > 0) {
                    minY = Math.min(minY, p[1]);
                    maxY = Math.max(maxY, p[1]);
                }
            }
        }
        if (diagonal) {
            minY = Math.min(minY, minX);
            maxY = Math.max(maxY, maxX);
        }
        if (maxX == 0 || maxY == 0) {
            minX = minY = 1;
            maxX = maxY = 10;
        }
        Axis xs = Axis.of(minX, maxX, logarithmic);
        Axis ys = Axis.of(minY, maxY, logarithmic);
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (double[] t : xs.ticks()) {
            int x = LEFT + (int) (xs.pos(t[0]) * pw);
            g.setColor(t[1] > 0 ? new Color(0xcccccc) : new Color(0xeeeeee));
            g.drawLine(x, TOP, x, TOP + ph);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label(t[0]), x - 12, TOP + ph + 18);
        }
        for (double[] t : ys.ticks()) {
            int y = TOP + ph - (int) (ys.pos(t[0]) * ph);
            g.setColor(t[1] > 0 ? new Color(0xcccccc) : new Color(0xeeeeee));
            g.drawLine(LEFT, y, LEFT + pw, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label(t[0]), LEFT - 50, y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);
        g.drawString(xLabel, LEFT + pw / 2 - 50, H - 25);
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(TOP + ph / 2 + 50), 20);
        g.rotate(Math.PI / 2);
        if (diagonal) {
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{3, 3}, 0));
            double a = Math.max(xs.start(), ys.start()), b = Math.min(xs.end(), ys.end());
            g.drawLine(LEFT + (int) (xs.pos(a) * pw), TOP + ph - (int) (ys.pos(a) * ph),
                    LEFT + (int) (xs.pos(b) * pw), TOP + ph - (int) (ys.pos(b) * ph));
        }
        int legendY = TOP + 10;
        for (Series s : series) {
            Color c = COLORS[s.colour() % COLORS.length];
            g.setColor(c);
            g.setStroke(s.dashed() ? new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{6, 4}, 0)
                    : new BasicStroke(2));
            int px = -1, py = -1;
            for (double[] p : s.points()) {
                if (!xs.plottable(p[0]) || !ys.plottable(p[1])) {
                    continue;
                }
                int x = LEFT + (int) (xs.pos(p[0]) * pw);
                int y = TOP + ph - (int) (ys.pos(p[1]) * ph);
                g.fillOval(x - 3, y - 3, 7, 7);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.drawLine(LEFT + pw + 15, legendY, LEFT + pw + 40, legendY);
            g.setColor(Color.BLACK);
            g.drawString(s.label(), LEFT + pw + 45, legendY + 4);
            legendY += 20;
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static String label(double v) {
        if (v >= 1_000_000) {
            return trim(v / 1_000_000) + "M";
        }
        if (v >= 1000) {
            return trim(v / 1000) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        // two significant digits, so sub-second ticks of a time axis read 0.05, 0.2 rather than 0.0
        return v == Math.rint(v) ? Long.toString((long) v)
                : new java.math.BigDecimal(v).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
    }
}
