package org.okrtrl.operators;

/**
 * What the model said at one step. Symbol streams: the surprise of the symbol just observed
 * under the previous prediction, the key's running bits per character, and the most likely next
 * symbols. Real-valued streams: the squared error of the prediction the step scored, the key's
 * running squared error, and the new prediction with the target names and the seq it is for.
 */
public class Prediction {
    public String key;
    public long seq;
    /** The step's position inside its record. */
    public int position;
    /** The observed symbol (symbol streams). */
    public String symbol;
    /** -log2 p(symbol) under the previous prediction; NaN at the start of a sequence. */
    public double surpriseBits;
    /** The key's running average of surpriseBits over about the last 100 steps (symbol streams). */
    public double runningBits;
    public String[] topSymbols;
    public double[] topProbabilities;
    /**
     * Real-valued streams: sum over y's components of (prediction - y)^2 in y's units, for the
     * prediction this step scored; NaN when it scored none.
     */
    public double squaredError;
    /** The key's running average of squaredError over about the last 100 steps (real-valued streams). */
    public double runningSquaredError;
    /** The prediction for real-valued streams, in y's units. */
    public double[] output;
    /** The names of output's components (real-valued streams). */
    public String[] targets;
    /** The seq whose y output predicts: seq + 1 when forecasting, seq for same-step targets. */
    public long forecastSeq;
    /** Parameter updates the key's model has made. */
    public long modelSteps;
    /** True when this step's learning went non-finite and the key's model was reset. */
    public boolean modelReset;

    public Prediction() {}
}
