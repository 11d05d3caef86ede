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
     * Adam's learning rate with a batch of {@link #BATCH_EVENTS} events for models of
     * {@link #REFERENCE_HIDDEN} hidden units; larger models take it times
     * {@link #RATE_PER_DOUBLING} per doubling of n, narrower ones more ({@link #learningRate}).
     * Also the rate above which the online estimators take {@link #ADAM_BETA2_WIDE} at any width.
     */
    public static final double ADAM_LEARNING_RATE = 1e-3;

    /**
     * Adam's learning rate for models of up to {@link #NARROW_HIDDEN} hidden units: 10^-2.75. On
     * Brown at n = 32 (1M events, 3 seeds, quarter-decade grid 10^-3 to 10^-2.5; docs/RESULTS.md
     * 0n) it is TBPTT-25's and TBPTT-5's best rate (2.931 and 2.951 best validation bits against
     * 2.962 and 2.971 at 10^-3) and 8-OK's is flat from 1.33 to 2.37 x 10^-3 around it (2.959
     * against 2.973 at 10^-3, better in every seed); on a second text 8-OK gains 0.058 bits over
     * 10^-3 and the copy task's T rises from 12.42 to 13.0 over twelve seeds. It was 10^-3 while
     * the online estimators ran with Adam's 0.999, under which 8-OK diverged at 1.78 x 10^-3; with
     * {@link #adamBeta2}'s 0.99 above 10^-3 it is stable on both texts and the copy task. Wider
     * models take less, down to {@link #ADAM_LEARNING_RATE} at {@link #REFERENCE_HIDDEN}.
     */
    public static final double NARROW_LEARNING_RATE = 1.78e-3;

    /**
     * The hidden size up to which {@link #ADAM_LEARNING_RATE} applies unscaled: measured at n = 32,
     * 64 and 128 with {@link #adamBeta2}'s decay (docs/RESULTS.md 0b, 0k, 0l).
     */
    public static final int REFERENCE_HIDDEN = 128;

    /**
     * Adam's second-moment decay for the online estimators (r-OK, exact RTRL, KF, UORO) on symbol
     * (text) models wider than {@link #NARROW_HIDDEN} or at a learning rate above
     * {@link #ADAM_LEARNING_RATE}: 0.99, not Kingma and Ba's 0.999. From n = 64 on, r-OK's gradient
     * passes through phases of high variance (docs/RESULTS.md 0d; at n = 32 there are none); with
     * 0.999 the second moment averages over about 1,000 steps and lags behind them, the steps grow,
     * and at n = 64 a rate of 7.07 x 10^-4 diverged in one draw of three. With 0.99 (about 100
     * steps) 8-OK at n = 64 is stable at 10^-3 in every seed measured and reaches 2.871 +- 0.014
     * bits against 2.892 +- 0.012 (0.999 at 6 x 10^-4; section 0k). Above 10^-3 the same holds at
     * n = 32: with 0.999 8-OK diverged on two texts and exact RTRL on one of them; with 0.99 both
     * were stable on both (section 0m); the copy task at 2 x 10^-3 reaches T = 13 with either.
     * At n = 32 and 10^-3 0.99 changes nothing on text (2.970 +- 0.027 against 2.973 +- 0.011) and
     * costs the copy task a step (T 11.33 against 12.42 over twelve seeds), so a rate chosen at or
     * below 10^-3 for a narrow model keeps 0.999; the narrow models' default rate,
     * {@link #NARROW_LEARNING_RATE}, is above it and takes 0.99.
     */
    public static final double ADAM_BETA2_WIDE = 0.99;

    /**
     * Adam's second-moment decay for TBPTT, for narrow symbol models at rates up to 10^-3 and for
     * real-valued models (Kingma and Ba's). TBPTT learns better with it than with 0.99, or level, in
     * every comparison of means made (Brown n = 64 and 128, a second text at n = 32, 64 and 128: up
     * to 0.02 bits at 10^-3, 0.10 at 10^-2.5; docs/RESULTS.md 0k, 0m): its gradient has no variance
     * bursts for the faster decay to follow.
     */
    public static final double ADAM_BETA2 = Adam.BETA2;

    /**
     * The widest symbol model whose online estimators keep {@link #ADAM_BETA2} at rates up to 10^-3,
     * and the widest that takes {@link #NARROW_LEARNING_RATE}.
     */
    public static final int NARROW_HIDDEN = 32;

    /**
     * Adam's default second-moment decay for a learner: {@link #ADAM_BETA2_WIDE} for an online
     * estimator on a symbol model wider than {@link #NARROW_HIDDEN} or with a learning rate above
     * {@link #ADAM_LEARNING_RATE}; {@link #ADAM_BETA2} for TBPTT, for the rest and for real-valued
     * models (the series grid ran with it).
     */
    public static double adamBeta2(org.okrtrl.core.Algorithm algorithm, org.okrtrl.core.readout.Readout.Link link,
            int hidden, double learningRate) {
        boolean symbols = link == org.okrtrl.core.readout.Readout.Link.SOFTMAX;
        boolean wideOrFast = hidden > NARROW_HIDDEN || learningRate > ADAM_LEARNING_RATE;
        return symbols && algorithm.isEstimator() && wideOrFast ? ADAM_BETA2_WIDE : ADAM_BETA2;
    }

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
     * {@link #REFERENCE_HIDDEN}: an extrapolation, not a measurement. It was measured one doubling
     * lower, under Adam's 0.999, where n = 64 needed 6 x 10^-4 (RESULTS.md 0j); with the decay
     * of 0.99, 10^-3 is stable and best at n = 64 and n = 128 (0k, 0l), so no width measured here
     * needs it.
     */
    public static final double RATE_PER_DOUBLING = 0.6;

    /**
     * The default learning rate of an optimiser for n hidden units: Adam's is
     * {@link #NARROW_LEARNING_RATE} up to {@link #NARROW_HIDDEN}, falls geometrically to
     * {@link #ADAM_LEARNING_RATE} at {@link #REFERENCE_HIDDEN} (1.33 x 10^-3 at n = 64) and
     * shrinks by {@link #RATE_PER_DOUBLING} per doubling of n above, since every recurrent
     * weight's step has Adam's size whatever the width, so the change of a unit's input grows
     * with n. Measured (docs/RESULTS.md 0l, 0n; Brown, 3 seeds, 1M events, with
     * {@link #adamBeta2}'s decay, 8-OK's best validation bits): n = 32 2.959 at 1.78 x 10^-3
     * against 2.973 at 10^-3; n = 64 2.851 at 1.33 x 10^-3 against 2.871 at 10^-3 and 2.873 at
     * 1.78 x 10^-3 (better than 10^-3 in each seed); n = 128 2.794 +- 0.018 at 10^-3 against
     * 2.806 +- 0.014 at 6 x 10^-4, while 1.78 x 10^-3 diverged on a second text. Wider models are
     * not measured. With Adam's 0.999 the rate at n = 64 had to be 6 x 10^-4 (7.07 x 10^-4
     * diverged in one seed of three).
     */
    public static double learningRate(OptimizerType optimizer, int hidden) {
        if (optimizer == OptimizerType.SGD) {
            return SGD_LEARNING_RATE;
        }
        if (hidden <= NARROW_HIDDEN) {
            return NARROW_LEARNING_RATE;
        }
        if (hidden <= REFERENCE_HIDDEN) {
            // Geometric between the two measured ends: 1.33 x 10^-3 at n = 64.
            double doublingsBelow = Math.log((double) REFERENCE_HIDDEN / hidden) / Math.log(2);
            double span = Math.log((double) REFERENCE_HIDDEN / NARROW_HIDDEN) / Math.log(2);
            return ADAM_LEARNING_RATE * Math.pow(NARROW_LEARNING_RATE / ADAM_LEARNING_RATE, doublingsBelow / span);
        }
        double doublings = Math.log((double) hidden / REFERENCE_HIDDEN) / Math.log(2);
        return ADAM_LEARNING_RATE * Math.pow(RATE_PER_DOUBLING, doublings);
    }
}
