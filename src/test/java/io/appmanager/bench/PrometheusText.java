package io.appmanager.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's {@code /q/metrics} page (Prometheus text format) read back into samples, so a scenario can
 * take the difference of two readings: counters, and quantiles of a histogram's buckets computed as
 * Prometheus' {@code histogram_quantile} does (linear within the bucket that holds the rank).
 */
final class PrometheusText {

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One line of the page: a series and its value. */
    record Sample(String name, Map<String, String> labels, double value) {
        boolean has(Map<String, String> wanted) {
            return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        }
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    static PrometheusText parse(String page) {
        List<Sample> out = new ArrayList<>();
        for (String line : page.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space).trim();
            int brace = series.indexOf('{');
            String name = brace < 0 ? series : series.substring(0, brace);
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0) {
                Matcher m = LABEL.matcher(series.substring(brace));
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
            }
            out.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim())));
        }
        return new PrometheusText(out);
    }

    /** The sum of every series of {@code name} that carries {@code labels} (0 when there is none). */
    double value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.has(labels)).mapToDouble(Sample::value).sum();
    }

    /** How much {@code name}{labels} grew from {@code before} to this reading. */
    double since(PrometheusText before, String name, Map<String, String> labels) {
        return value(name, labels) - before.value(name, labels);
    }

    /**
     * Quantile {@code q} of what histogram {@code base} (without {@code _bucket}) recorded between {@code before}
     * and this reading, in the histogram's unit; NaN when nothing was recorded. Like {@code histogram_quantile},
     * a rank in the +Inf bucket answers the highest finite bound.
     */
    double quantileSince(PrometheusText before, String base, Map<String, String> labels, double q) {
        String bucket = base + "_bucket";
        List<double[]> cumulative = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name().equals(bucket) && s.has(labels) && s.labels().containsKey("le")) {
                Map<String, String> exact = new LinkedHashMap<>(labels);
                exact.put("le", s.labels().get("le"));
                cumulative.add(new double[]{bound(s.labels().get("le")), since(before, bucket, exact)});
            }
        }
        cumulative.sort(Comparator.comparingDouble(b -> b[0]));
        if (cumulative.isEmpty() || cumulative.get(cumulative.size() - 1)[1] <= 0) {
            return Double.NaN;
        }
        double rank = q * cumulative.get(cumulative.size() - 1)[1];
        double lower = 0;
        double countBelow = 0;
        for (double[] b : cumulative) {
            if (b[1] >= rank) {
                if (Double.isInfinite(b[0])) {
                    return lower;
                }
                return b[1] == countBelow ? b[0] : lower + (b[0] - lower) * (rank - countBelow) / (b[1] - countBelow);
            }
            lower = b[0];
            countBelow = b[1];
        }
        return lower;
    }

    private static double bound(String le) {
        return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }
}
