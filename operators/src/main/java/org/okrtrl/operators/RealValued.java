package org.okrtrl.operators;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * How a real-valued job reads its steps ({@code {"seq", "x", "y"}}):
 *
 * <ul>
 *   <li>{@link Task#FORECAST}: y is the target's value observed at this step. The step scores the
 *       forecast made at the previous step against y, learns from it, consumes x and forecasts
 *       the next step's y, which the prediction carries (with the seq it is for, seq + 1).
 *   <li>{@link Task#REGRESS}: y is this step's own target. The step consumes x, predicts y,
 *       scores and learns; the prediction carries the estimate of this step's y.
 * </ul>
 *
 * <p>With standardize, each stream's inputs and targets are standardised by their running mean
 * and standard deviation ({@link org.okrtrl.core.train.RunningStandardizer}), kept in the
 * stream's state: the model learns in standard units whatever the series' units, and outputs
 * and errors are reported in the series' own units.
 *
 * <p>When forecasting, the model can learn the target's level or its change from one step to the
 * next ({@link ForecastTarget}); with CHANGE a forecast is the value just observed plus the
 * model's forecast of the change, so an untrained model starts as the persistence forecast.
 *
 * @param targetNames the names of y's components, echoed in predictions (empty: {@code y[i]})
 */
public record RealValued(Task task, boolean standardize, List<String> targetNames, ForecastTarget forecastTarget)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Same-step targets, standardised: the reading of earlier versions plus standardisation. */
    public static final RealValued DEFAULT = new RealValued(Task.REGRESS, true, List.of(), ForecastTarget.LEVEL);

    /** What a forecasting model learns: the next value itself, or its change from the current one. */
    public enum ForecastTarget {
        LEVEL,
        CHANGE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What y means. */
    public enum Task {
        FORECAST,
        REGRESS;

        /** Parses "forecast" or "regress"; IllegalArgumentException otherwise. */
        public static Task parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown real-valued task '" + s + "' (forecast, regress)", e);
            }
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RealValued {
        java.util.Objects.requireNonNull(task, "task");
        java.util.Objects.requireNonNull(forecastTarget, "forecastTarget");
        targetNames = List.copyOf(targetNames);
    }

    /** The names of the first outputs components, from targetNames or {@code y[i]}. */
    public String[] names(int outputs) {
        String[] names = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            names[i] = i < targetNames.size() ? targetNames.get(i) : "y[" + i + "]";
        }
        return names;
    }
}
