package org.okrtrl.core.train;

import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.influence.InfluenceEstimator;

/**
 * Online learning with an influence estimator over many streams (ALGORITHMS.md sections 8 and
 * 11): every event forms its stream's contribution delta^T G^s plus the readout's gradient and
 * adds it to the shared accumulator; G^s is carried across every update of the shared model.
 * One estimator instance does the work for all streams: it is bound to the event's stream
 * state, so a stream stores only its factors. Nothing is allocated per event.
 */
public final class SharedOnlineLearner extends SharedLearnerBase {
    private final InfluenceEstimator estimator;
    private final SplitMix64 rng = new SplitMix64(0);
    private final StepTrace trace;

    /**
     * @param estimator does the influence arithmetic (its own state is replaced by each stream's)
     */
    public SharedOnlineLearner(SharedModel shared, InfluenceEstimator estimator) {
        super(shared);
        this.estimator = estimator;
        this.trace = cell.newTrace();
    }

    @Override
    public String name() {
        return estimator.name();
    }

    /** The estimator, bound to whichever stream stepped last. */
    public InfluenceEstimator estimator() {
        return estimator;
    }

    @Override
    public StreamState newStream(long seed) {
        return new StreamState(cell.hiddenSize(), readout.outputSize(), estimator.newState(),
                estimator.newFloatState(), estimator.floatSlots(), null, null, seed);
    }

    @Override
    public double observeSymbol(StreamState s, int symbol) {
        estimator.bind(s.ruleArrays, s.ruleFloatArrays);
        double loss = Double.NaN;
        if (s.predicted) {
            loss = readout.loss(s.prediction, symbol);
            readout.outputGradient(s.prediction, symbol, dOut);
            if (!shared.nextEventSteps()) {
                trace.setSymbolInput(symbol, s.hidden);
                learnWhileAdvancing(s);
                return loss;
            }
            learn(s);
        }
        trace.setSymbolInput(symbol, s.hidden);
        advance(s);
        return loss;
    }

    @Override
    public double observe(StreamState s, int inputSymbol, int targetSymbol) {
        estimator.bind(s.ruleArrays, s.ruleFloatArrays);
        trace.setSymbolInput(inputSymbol, s.hidden);
        advance(s);
        double loss = readout.loss(s.prediction, targetSymbol);
        readout.outputGradient(s.prediction, targetSymbol, dOut);
        learn(s);
        return loss;
    }

    @Override
    public double observe(StreamState s, double[] x, double[] y) {
        estimator.bind(s.ruleArrays, s.ruleFloatArrays);
        trace.setInput(x, s.hidden);
        advance(s);
        double loss = readout.loss(s.prediction, y);
        readout.outputGradient(s.prediction, y, dOut);
        learn(s);
        return loss;
    }

    @Override
    public double observeAndForecast(StreamState s, double[] observed, double[] x) {
        estimator.bind(s.ruleArrays, s.ruleFloatArrays);
        double loss = Double.NaN;
        if (s.predicted) {
            loss = readout.loss(s.prediction, observed);
            readout.outputGradient(s.prediction, observed, dOut);
            learn(s);
        }
        trace.setInput(x, s.hidden);
        advance(s);
        return loss;
    }

    private void advance(StreamState s) {
        advance(s, false);
    }

    /**
     * Steps s's cell and influence and predicts; with addingGradient, the estimator adds delta^T G
     * of the state before the step inside it ({@link InfluenceEstimator#addGradientThenAdvance})
     * and the result says whether it was added.
     */
    private boolean advance(StreamState s, boolean addingGradient) {
        cell.forward(model.w, trace);
        cell.jacobians(model.w, trace);
        rng.setState(s.random);
        boolean added = false;
        if (addingGradient) {
            added = estimator.addGradientThenAdvance(delta, stepGradW, shared.gradWTerms(), trace, rng);
        } else {
            estimator.advance(trace, rng);
        }
        s.random = rng.state();
        predictFrom(s, trace);
        return added;
    }

    /** Adds this event's contribution (from dOut and s's hidden state) and counts the event. */
    private void learn(StreamState s) {
        if (readoutBackward(s, delta)) {
            countEvent(s, estimator.addGradient(delta, stepGradW, shared.gradWTerms()));
        }
    }

    /**
     * learn(s) then advance(s), computed in an order that lets the estimator add its gradient
     * while the step has the stream's influence in cache. Only for an event whose
     * {@link SharedModel#eventDone} does not step: then the weights the step reads are the same
     * before and after it, and every number equals the plain order's.
     */
    private void learnWhileAdvancing(StreamState s) {
        boolean learning = readoutBackward(s, delta);
        boolean added = advance(s, learning);
        if (learning) {
            countEvent(s, added);
        }
    }

    private void countEvent(StreamState s, boolean gradientAdded) {
        if (gradientAdded) {
            shared.eventDone();
        } else {
            s.healthy = false;
        }
    }

    @Override
    public void resetSequence(StreamState s) {
        java.util.Arrays.fill(s.hidden, 0.0);
        estimator.bind(s.ruleArrays, s.ruleFloatArrays);
        estimator.reset();
        s.predicted = false;
    }
}
