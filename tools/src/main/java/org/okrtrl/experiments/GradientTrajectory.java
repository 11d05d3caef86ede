package org.okrtrl.experiments;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.influence.ExactRtrl;
import org.okrtrl.core.influence.InfluenceEstimator;
import org.okrtrl.core.influence.OkReduction;
import org.okrtrl.core.influence.OptimalKroneckerSum;
import org.okrtrl.core.linalg.Dense;
import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.Model;
import org.okrtrl.core.train.SharedLearner;
import org.okrtrl.core.train.StreamState;

/**
 * Where r-OK's gradient departs from exact RTRL's along a real training trajectory with no
 * resets. One shared model is trained by the chosen algorithm on B text streams, exactly as
 * {@code experiment charlm} does; beside every probed stream run shadow estimators that never
 * touch the parameters: exact RTRL and r-OK for each r asked for, advanced with the same cell
 * steps (the same parameters and hidden states) as the trained stream. At every event of a
 * probed stream the shadows' gradients delta^T G are compared with exact RTRL's: cosine and
 * relative error, averaged over each reporting window, beside the norm of the exact influence
 * matrix. Exact RTRL here carries G across parameter updates as the learner does, so it is
 * the reference an unbiased estimator approximates; whatever separates exact RTRL from the
 * gradient at the current parameters (staleness) is shared by every estimator.
 *
 * <p>Beside each shadow r-OK's gradient error the window also reports its reduction's own
 * relative error, sqrt(closed-form squared error / ||C||_F^2) per step, which needs no exact RTRL.
 * It tracks 16-OK's and 32-OK's gradient error but stays flat for 8-OK whatever its cosine
 * (docs/RESULTS.md 0l), so it is a measurement here, not a job metric.
 */
final class GradientTrajectory {
    record Config(String algorithm, String cell, int hidden, long steps, long seed, double learningRate, double clip,
            int streams, int probeStreams, long probeFrom, List<Integer> ranks, int reportEvery, Initialization init) {}

    static void run(Config c, TextCorpus corpus, Results results, PrintStream console) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", "gradients");
        config.put("corpus", corpus.source);
        config.put("config", c);
        config.put("adam_beta2", c.init().adamBeta2ByRun(List.of(c.algorithm()), List.of(c.learningRate()), c.hidden()));
        config.put("measure", "per window: mean over probed events of cos(g_est, g_exact) and "
                + "||g_est - g_exact|| / ||g_exact||, g = delta^T G for the event's delta; mean ||G_exact||_F; "
                + "reduction_err: mean over probed steps of sqrt(closed-form squared error / ||C||_F^2) of the reduction");
        results.config(config);
        int v = corpus.vocabulary.size();
        LearnerSpec spec = c.init().symbolSpec(c.algorithm(), c.cell(), v, c.hidden(), v, c.learningRate(), c.clip());
        SharedLearner learner = spec.createShared(c.seed(), c.streams(), false);
        Model model = learner.shared().model();
        Cell cell = model.cell;
        StreamState[] streams = new StreamState[c.streams()];
        for (int s = 0; s < streams.length; s++) {
            streams[s] = learner.newStream(LearnerSpec.streamSeed(c.seed() * 1_000_003L + s));
        }
        int probes = Math.min(c.probeStreams(), c.streams());
        int shadowsPerStream = 1 + c.ranks().size();
        InfluenceEstimator[][] shadows = new InfluenceEstimator[probes][shadowsPerStream];
        SplitMix64[] signs = new SplitMix64[probes];
        for (int s = 0; s < probes; s++) {
            shadows[s][0] = new ExactRtrl(cell);
            for (int i = 0; i < c.ranks().size(); i++) {
                shadows[s][1 + i] = new OptimalKroneckerSum(cell, c.ranks().get(i));
            }
            signs[s] = new SplitMix64(c.seed() * 31 + s);
        }
        int n = c.hidden();
        StepTrace trace = cell.newTrace();
        double[] hPrev = new double[n];
        double[] prediction = new double[v];
        double[] dOut = new double[v];
        double[] delta = new double[n];
        double[] scratchV = new double[model.v.length];
        double[] exact = new double[model.w.length];
        double[] estimate = new double[model.w.length];
        int estimators = c.ranks().size();
        double[] cosSum = new double[estimators];
        double[] errSum = new double[estimators];
        double[] reductionErrSum = new double[estimators];
        long reductions = 0;
        double normSum = 0;
        double bitsSum = 0;
        long measured = 0;
        long scored = 0;
        String[] header = new String[4 + 3 * estimators];
        header[0] = "step";
        header[1] = "train_bits";
        header[2] = "influence_norm";
        header[3] = "probed_events";
        for (int i = 0; i < estimators; i++) {
            header[4 + 2 * i] = "cos_ok" + c.ranks().get(i);
            header[5 + 2 * i] = "rel_err_ok" + c.ranks().get(i);
            header[4 + 2 * estimators + i] = "reduction_err_ok" + c.ranks().get(i);
        }
        Progress progress = new Progress(console, "gradients " + c.algorithm() + " n=" + n, c.steps());
        try (PrintWriter out = results.csv("trajectory.csv", header)) {
            for (long step = 1; step <= c.steps(); step++) {
                int s = (int) ((step - 1) % c.streams());
                // The same text, streams and offsets as experiment charlm reads.
                int symbol = CharLm.trainingSymbol(corpus, c.streams(), c.seed(), step);
                StreamState stream = streams[s];
                // Before probeFrom only the learner trains; exact RTRL and the shadows start from zero there.
                boolean probe = s < probes && step > c.probeFrom();
                if (probe) {
                    System.arraycopy(stream.hidden(), 0, hPrev, 0, n);
                    if (stream.hasPrediction()) {
                        // delta for this symbol under the prediction made before it, with V as the learner sees it.
                        System.arraycopy(stream.prediction(), 0, prediction, 0, v);
                        model.readout.outputGradient(prediction, symbol, dOut);
                        model.readout.backward(model.v, hPrev, dOut, delta, scratchV);
                        shadows[s][0].gradient(delta, exact);
                        double exactNorm = Math.sqrt(dot(exact, exact));
                        if (exactNorm > 0) {
                            for (int i = 0; i < estimators; i++) {
                                shadows[s][1 + i].gradient(delta, estimate);
                                double estNorm = Math.sqrt(dot(estimate, estimate));
                                cosSum[i] += estNorm > 0 ? dot(exact, estimate) / (exactNorm * estNorm) : 0;
                                errSum[i] += distance(estimate, exact) / exactNorm;
                            }
                            normSum += frobenius(((ExactRtrl) shadows[s][0]).influence());
                            measured++;
                        }
                    }
                }
                double loss = learner.observeSymbol(stream, symbol);
                if (!stream.healthy()) {
                    learner.resetStream(stream);
                }
                if (Double.isFinite(loss)) {
                    bitsSum += loss / Math.log(2);
                    scored++;
                }
                if (probe) {
                    // The cell step the learner just took: same parameters, same h_{t-1}, same input.
                    trace.setSymbolInput(symbol, hPrev);
                    cell.forward(model.w, trace);
                    cell.jacobians(model.w, trace);
                    for (InfluenceEstimator e : shadows[s]) {
                        e.advance(trace, signs[s]);
                    }
                    for (int i = 0; i < estimators; i++) {
                        reductionErrSum[i] += relativeReductionError(((OptimalKroneckerSum) shadows[s][1 + i]).reduction());
                    }
                    reductions++;
                }
                if (step % c.reportEvery() == 0 || step == c.steps()) {
                    Object[] row = new Object[4 + 3 * estimators];
                    row[0] = step;
                    row[1] = scored > 0 ? bitsSum / scored : Double.NaN;
                    row[2] = measured > 0 ? normSum / measured : Double.NaN;
                    row[3] = measured;
                    for (int i = 0; i < estimators; i++) {
                        row[4 + 2 * i] = measured > 0 ? cosSum[i] / measured : Double.NaN;
                        row[5 + 2 * i] = measured > 0 ? errSum[i] / measured : Double.NaN;
                        row[4 + 2 * estimators + i] = reductions > 0 ? reductionErrSum[i] / reductions : Double.NaN;
                    }
                    out.println(Results.row(row));
                    out.flush();
                    java.util.Arrays.fill(cosSum, 0);
                    java.util.Arrays.fill(errSum, 0);
                    java.util.Arrays.fill(reductionErrSum, 0);
                    reductions = 0;
                    normSum = 0;
                    bitsSum = 0;
                    measured = 0;
                    scored = 0;
                }
                progress.update(step, Double.NaN, "");
            }
        }
        progress.done();
    }

    /** sqrt(closed-form squared error / ||C||_F^2) of the reduction's last step (0 for C = 0). */
    static double relativeReductionError(OkReduction reduction) {
        double total = 0;
        for (double sigma : reduction.singularValues()) {
            total += sigma * sigma;
        }
        return total > 0 ? Math.sqrt(Math.max(0.0, reduction.closedFormSquaredError()) / total) : 0.0;
    }

    private static double dot(double[] a, double[] b) {
        return Dense.dot(a.length, a, b);
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    private static double frobenius(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
