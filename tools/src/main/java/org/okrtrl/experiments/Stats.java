package org.okrtrl.experiments;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** Mean and sample standard deviation over the seeds of an experiment. */
final class Stats {
    private Stats() {}

    static <T> double mean(List<T> items, ToDoubleFunction<T> value) {
        return items.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    /** Sample standard deviation (n - 1); 0 for a single item. */
    static <T> double sd(List<T> items, ToDoubleFunction<T> value) {
        if (items.size() < 2) {
            return 0;
        }
        double mean = mean(items, value);
        double squares = items.stream().mapToDouble(value).map(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (items.size() - 1));
    }
}
