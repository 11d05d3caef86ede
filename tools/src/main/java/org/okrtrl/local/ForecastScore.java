package org.okrtrl.local;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The forecaster's scorecard of a local real-valued run: every scored step's squared error, as
 * the job's predictions report it, beside the squared errors the naive forecasts a forecaster
 * compares against make at the same step of the same key: persistence (the previous value),
 * the key's mean so far, and with a season S the value S steps back (seasonal naive). The
 * series is known here because this process produced it.
 */
final class ForecastScore {
    /** One figure over the first, last and tail windows. */
    record Windows(double start, double end, double tail) {}

    /** The job's figures and the naive forecasts' over the same steps. */
    record Figures(Windows model, Windows persistence, Windows mean, Windows seasonal, long scored, long tailSteps) {}

    private final Map<String, Baselines> byKey = new HashMap<>();
    private final int window;
    private final int minTail;
    private final int season;
    private double[] model = new double[1 << 12];
    private double[] persistence = new double[1 << 12];
    private double[] mean = new double[1 << 12];
    private double[] seasonal = new double[1 << 12];
    private int scored;

    /** Each key's naive squared errors per sequence number (NaN where a forecast is undefined). */
    private record Baselines(long firstSeq, double[] persistence, double[] mean, double[] seasonal) {}

    /**
     * @param season the seasonal-naive lag in steps (0: none)
     * @param window steps in the start and end windows
     * @param minTail the fewest steps in the tail window (all when fewer were scored)
     */
    ForecastScore(int season, int window, int minTail) {
        this.season = season;
        this.window = window;
        this.minTail = minTail;
    }

    /** Registers a key's series: its steps' sequence numbers (increasing) and targets. */
    void addKey(String key, long[] seq, double[] y) {
        long first = seq[0];
        int span = (int) (seq[seq.length - 1] - first + 1);
        double[] p = filled(span);
        double[] m = filled(span);
        double[] s = filled(span);
        double[] bySeq = filled(span);
        double sum = 0;
        for (int i = 0; i < seq.length; i++) {
            int at = (int) (seq[i] - first);
            bySeq[at] = y[i];
            if (i > 0) {
                double e = y[i] - y[i - 1];
                p[at] = e * e;
                double d = y[i] - sum / i;
                m[at] = d * d;
            }
            if (season > 0 && at >= season && Double.isFinite(bySeq[at - season])) {
                double e = y[i] - bySeq[at - season];
                s[at] = e * e;
            }
            sum += y[i];
        }
        byKey.put(key, new Baselines(first, p, m, s));
    }

    private static double[] filled(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    /** Records one prediction of key at seq that scored a forecast with this squared error. */
    void observe(String key, long seq, double squaredError) {
        Baselines b = byKey.get(key);
        if (b == null || !Double.isFinite(squaredError)) {
            return;
        }
        int at = (int) (seq - b.firstSeq());
        if (at < 0 || at >= b.persistence().length) {
            return;
        }
        if (scored == model.length) {
            model = Arrays.copyOf(model, scored * 2);
            persistence = Arrays.copyOf(persistence, scored * 2);
            mean = Arrays.copyOf(mean, scored * 2);
            seasonal = Arrays.copyOf(seasonal, scored * 2);
        }
        model[scored] = squaredError;
        persistence[scored] = b.persistence()[at];
        mean[scored] = b.mean()[at];
        seasonal[scored] = b.seasonal()[at];
        scored++;
    }

    long scored() {
        return scored;
    }

    /** The job's mean squared error over its last {@code window} scored steps. */
    double recentModel() {
        return meanOf(model, Math.max(0, scored - window), scored);
    }

    /** Persistence's mean squared error over the same recent steps. */
    double recentPersistence() {
        return meanOf(persistence, Math.max(0, scored - window), scored);
    }

    Figures figures() {
        long tail = Math.min(scored, Math.max(minTail, scored / 20));
        return new Figures(windows(model, tail), windows(persistence, tail), windows(mean, tail),
                season > 0 ? windows(seasonal, tail) : null, scored, tail);
    }

    private Windows windows(double[] values, long tail) {
        int first = Math.min(scored, window);
        return new Windows(meanOf(values, 0, first), meanOf(values, Math.max(0, scored - window), scored),
                meanOf(values, (int) (scored - tail), scored));
    }

    /** The mean of the finite values in [from, to); NaN if there are none. */
    private static double meanOf(double[] values, int from, int to) {
        double sum = 0;
        int n = 0;
        for (int i = from; i < to; i++) {
            if (Double.isFinite(values[i])) {
                sum += values[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
