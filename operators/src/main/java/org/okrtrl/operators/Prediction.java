package org.okrtrl.operators;

/**
 * What the model said at one step: the surprise of the symbol just observed under the previous
 * prediction, the key's running bits per character, and the next prediction.
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
    /** Squared error of the prediction (real-valued streams); NaN otherwise. */
    public double loss;
    /** The key's running average of surpriseBits (or of loss for real-valued streams). */
    public double runningBits;
    public String[] topSymbols;
    public double[] topProbabilities;
    /** The prediction for real-valued streams. */
    public double[] output;
    /** Parameter updates the key's model has made. */
    public long modelSteps;
    /** True when this step's learning went non-finite and the key's model was reset. */
    public boolean modelReset;

    public Prediction() {}
}
