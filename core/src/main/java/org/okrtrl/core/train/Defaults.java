package org.okrtrl.core.train;

/**
 * The learner's shipped defaults, in one place for the job and the experiments. Each was chosen
 * by a grid on Brown validation text; docs/RESULTS.md section 0 has the grid and the runs behind
 * every value.
 */
public final class Defaults {
    private Defaults() {}

    /** Standard deviation of the initial weights of W and the readout (N(0, s^2)). */
    public static final double INIT_SCALE = 0.01;

    /**
     * r-OK's influence factors in float: on Brown (n = 64, 1M events, 3 seeds) float's best
     * validation bits were within 0.004 of double's and the copy task's T within one step, at 1.5x
     * the events per core and half the state (docs/PERFORMANCE.md, "Influence factors in float").
     * Other algorithms always run in double.
     */
    public static final org.okrtrl.core.influence.Precision PRECISION = org.okrtrl.core.influence.Precision.FLOAT;

    /** The precision of algorithm's factors when none is given: {@link #PRECISION} for r-OK, double otherwise. */
    public static org.okrtrl.core.influence.Precision precisionFor(org.okrtrl.core.Algorithm algorithm) {
        return algorithm.kind() == org.okrtrl.core.Algorithm.Kind.OK ? PRECISION
                : org.okrtrl.core.influence.Precision.DOUBLE;
    }

    /** Initial carry-gate bias of the highway cell. */
    public static final double CARRY_BIAS = 0.0;

    /** Maximum global norm of the applied gradient (0: no clipping). */
    public static final double CLIP_NORM = 1.0;

    /**
     * Adam's learning rate with a batch of {@link #BATCH_EVENTS} events for models of up to
     * {@link #REFERENCE_HIDDEN} hidden units; larger models take it times
     * {@link #RATE_PER_DOUBLING} per doubling of n.
     */
    public static final double ADAM_LEARNING_RATE = 1e-3;

    /** The hidden size up to which {@link #ADAM_LEARNING_RATE} applies unscaled. */
    public static final int REFERENCE_HIDDEN = 32;

    /** Plain SGD's learning rate (no grid behind it: SGD is offered for oracles and tests). */
    public static final double SGD_LEARNING_RATE = 0.01;

    /*
     * Real-valued (forecasting and regression) models: chosen by a grid on two public series, a
     * daily and an hourly one, and a synthetic weekly one (docs/RESULTS.md, "Real-valued series":
     * hidden 16/32/64, Adam 10^-3/3x10^-3/10^-2, batches of 4 and 16). Series are short next to
     * text (thousands of steps, not millions), so more, smaller steps win.
     */

    /** Hidden units of a real-valued model (16 was as good, 64 worse on the series measured). */
    public static final int REAL_HIDDEN = 32;

    /** Adam's learning rate for a real-valued model on standardised inputs and targets. */
    public static final double REAL_LEARNING_RATE = 3e-3;

    /** Maximum global gradient norm for a real-valued model. */
    public static final double REAL_CLIP_NORM = 1.0;

    /** Events per optimiser step of a shared real-valued model. */
    public static final int REAL_BATCH_EVENTS = 4;

    /** The default learning rate of an optimiser for a real-valued model. */
    public static double realLearningRate(OptimizerType optimizer) {
        return optimizer == OptimizerType.SGD ? SGD_LEARNING_RATE : REAL_LEARNING_RATE;
    }

    /** Events (from any streams) per optimiser step of a shared model. */
    public static final int BATCH_EVENTS = 16;

    /**
     * Adam's rate shrinks by this factor per doubling of the hidden size above
     * {@link #REFERENCE_HIDDEN}: 6 x 10^-4 at n = 64.
     */
    public static final double RATE_PER_DOUBLING = 0.6;

    /**
     * The default learning rate of an optimiser for n hidden units. Adam's shrinks by
     * {@link #RATE_PER_DOUBLING} per doubling of n above {@link #REFERENCE_HIDDEN}: every recurrent
     * weight's step has Adam's size whatever the width, so the change of a unit's input grows with
     * n, and r-OK's gradient becomes unstable at the rate n = 32 takes (at n = 64, 10^-3 diverged
     * for r = 8, 16 and 32). At n = 64 (docs/RESULTS.md sections 0c and 0j, 3 seeds, 1M events)
     * 7.07 x 10^-4 diverged in one seed of three (the others 2.873, 2.890), 6 x 10^-4 was stable
     * in all three (2.892 +- 0.012) and 5 x 10^-4 stable but slower (2.915 +- 0.038). Larger n are
     * not measured.
     */
    public static double learningRate(OptimizerType optimizer, int hidden) {
        if (optimizer == OptimizerType.SGD) {
            return SGD_LEARNING_RATE;
        }
        if (hidden <= REFERENCE_HIDDEN) {
            return ADAM_LEARNING_RATE;
        }
        double doublings = Math.log((double) hidden / REFERENCE_HIDDEN) / Math.log(2);
        return ADAM_LEARNING_RATE * Math.pow(RATE_PER_DOUBLING, doublings);
    }
}
