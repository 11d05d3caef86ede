package org.okrtrl.core.train;

/**
 * What a real-valued stream keeps beside its learning state ({@link SeriesSteps}): the running
 * statistics of its inputs and of its modelled target ({@link RunningStandardizer} arrays; the
 * target's changes when forecasting changes) and the target's last value. Plain arrays, null
 * until the first step, so a keyed state backend stores them as they are.
 */
public final class SeriesState {
    public double[] input;
    public double[] target;
    /** The target's value at the last step, when forecasting changes (null otherwise). */
    public double[] last;

    /** A deep copy. */
    public SeriesState copy() {
        SeriesState c = new SeriesState();
        c.input = input == null ? null : input.clone();
        c.target = target == null ? null : target.clone();
        c.last = last == null ? null : last.clone();
        return c;
    }

    /** Whether every number held is finite. */
    public boolean allFinite() {
        return finite(input) && finite(target) && finite(last);
    }

    private static boolean finite(double[] a) {
        if (a == null) {
            return true;
        }
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
