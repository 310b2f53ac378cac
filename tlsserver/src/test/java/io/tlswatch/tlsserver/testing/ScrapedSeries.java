package io.tlswatch.tlsserver.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code tlswatch_} series of a Prometheus scrape, by their full text (name and labels), to compare two scrapes. */
public final class ScrapedSeries {

    private static final Pattern SERIES = Pattern.compile("(?m)^(tlswatch_\\S+) (\\S+)$");

    private final Map<String, Double> values;

    private ScrapedSeries(Map<String, Double> values) {
        this.values = values;
    }

    public static ScrapedSeries of(String scrape) {
        Map<String, Double> values = new HashMap<>();
        Matcher line = SERIES.matcher(scrape);
        while (line.find()) {
            values.put(line.group(1), Double.parseDouble(line.group(2)));
        }
        return new ScrapedSeries(values);
    }

    /** How much the series whose text contains all of {@code parts} rose since {@code before}, summed. */
    public double movedSince(ScrapedSeries before, String... parts) {
        double sum = 0;
        for (Map.Entry<String, Double> series : values.entrySet()) {
            boolean match = true;
            for (String part : parts) {
                match &= series.getKey().contains(part);
            }
            if (match) {
                sum += series.getValue() - before.values.getOrDefault(series.getKey(), 0.0);
            }
        }
        return sum;
    }
}
