package org.okrtrl.core.train;

/**
 * A {@link SequenceLearner} over one stream with a model of its own: a {@link SharedLearner}
 * with a single {@link StreamState}. Healthy while the stream is finite and no update was
 * refused.
 */
abstract class SingleStreamLearner implements SequenceLearner {
    final SharedModel shared;
    final SharedLearner rule;
    final StreamState stream;

    SingleStreamLearner(SharedLearner rule, long seed) {
        this.shared = rule.shared();
        this.rule = rule;
        this.stream = rule.newStream(seed);
    }

    @Override
    public double observeSymbol(int symbol) {
        return rule.observeSymbol(stream, symbol);
    }

    @Override
    public double observe(int inputSymbol, int targetSymbol) {
        return rule.observe(stream, inputSymbol, targetSymbol);
    }

    @Override
    public double observe(double[] x, double[] y) {
        return rule.observe(stream, x, y);
    }

    @Override
    public double observeAndForecast(double[] observed, double[] x) {
        return rule.observeAndForecast(stream, observed, x);
    }

    @Override
    public double scoreSymbol(int symbol) {
        return rule.scoreSymbol(stream, symbol);
    }

    @Override
    public double score(double[] x, double[] y) {
        return rule.score(stream, x, y);
    }

    @Override
    public double scoreAndForecast(double[] observed, double[] x) {
        return rule.scoreAndForecast(stream, observed, x);
    }

    @Override
    public void resetSequence() {
        rule.resetSequence(stream);
    }

    @Override
    public double[] prediction() {
        return stream.prediction;
    }

    @Override
    public boolean hasPrediction() {
        return stream.predicted;
    }

    @Override
    public Model model() {
        return shared.model();
    }

    @Override
    public long updates() {
        return shared.updates();
    }

    @Override
    public String name() {
        return rule.name();
    }

    @Override
    public boolean healthy() {
        return stream.healthy && shared.refusedUpdates() == 0;
    }

    /** h_t (a view). */
    public double[] hidden() {
        return stream.hidden;
    }

    /** Global gradient norm before clipping at the last update. */
    public double lastGradientNorm() {
        return shared.lastGradientNorm();
    }

    /** Model and optimiser arrays followed by own, in the order per-key state stores them. */
    final double[][] withModelAndOptimizer(double[]... own) {
        double[][] head = shared.modelAndOptimizerArrays();
        double[][] all = new double[head.length + own.length][];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(own, 0, all, head.length, own.length);
        return all;
    }

    /** Sets healthy from a stored flag: an unhealthy learner stays unhealthy after a restore. */
    final void restoreHealthy(boolean healthy) {
        stream.healthy = healthy;
    }
}
