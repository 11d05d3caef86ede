package org.okrtrl.experiments;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.okrtrl.core.train.Algorithms;
import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.influence.ExactRtrl;
import org.okrtrl.core.influence.InfluenceEstimator;
import org.okrtrl.core.influence.OptimalKroneckerSum;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.Model;
import org.okrtrl.core.train.SequenceLearner;

/**
 * Estimator quality on a partly trained model and real text: along one held-out sequence, at
 * every step, the cosine similarity of each estimator's gradient delta_t^T G_t to the exact
 * RTRL one and its relative variance E||g - exact||^2 / ||exact||^2 over many sign draws; and
 * r-OK's measured reduction error against its closed form.
 */
final class EstimatorQuality {
    /** The configuration. */
    record Config(List<String> estimators, String cell, int hidden, long pretrainSteps, int length, int samples,
            long seed) {}

    static void run(Config c, TextCorpus corpus, Results results, PrintStream console) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", "quality");
        config.put("corpus", corpus.source);
        config.put("config", c);
        config.put("pretraining", "tbptt:20, Adam 1e-3, on the training text");
        results.config(config);
        int v = corpus.vocabulary.size();
        LearnerSpec spec = new LearnerSpec("tbptt:20", c.cell(), v, c.hidden(), v, Readout.Link.SOFTMAX, "adam", 1e-3,
                1.0, 1, 1.0);
        SequenceLearner trainer = spec.create(c.seed());
        Progress progress = new Progress(console, "quality: pretraining", c.pretrainSteps());
        for (long step = 0; step < c.pretrainSteps(); step++) {
            trainer.observeSymbol(corpus.train[(int) (step % corpus.train.length)]);
            progress.update(step + 1, 0, "");
        }
        progress.done();
        Model model = trainer.model();
        int[] sequence = java.util.Arrays.copyOf(corpus.validation, c.length() + 1);
        double[][] exact = gradients(model, new ExactRtrl(model.cell), sequence, new SplitMix64(0), null, null);

        List<Results.Line> cosineLines = new ArrayList<>();
        List<Results.Line> varianceLines = new ArrayList<>();
        try (PrintWriter quality = results.csv("quality.csv", "estimator", "step", "cosine_mean", "relative_variance");
                PrintWriter okError = results.csv("ok-error.csv", "estimator", "step", "closed_form", "measured",
                        "relative_difference")) {
            for (String name : c.estimators()) {
                double[] cosine = new double[c.length()];
                double[] variance = new double[c.length()];
                SplitMix64 rng = new SplitMix64(c.seed() * 31 + name.hashCode());
                InfluenceEstimator estimator = Algorithms.estimator(name, model.cell);
                progress = new Progress(console, "quality: " + name, c.samples());
                for (int s = 0; s < c.samples(); s++) {
                    double[][] g = gradients(model, estimator, sequence, rng, s == 0 ? okError : null, name);
                    for (int t = 0; t < c.length(); t++) {
                        cosine[t] += cosine(g[t], exact[t]) / c.samples();
                        variance[t] += squaredDistance(g[t], exact[t]) / squaredNorm(exact[t]) / c.samples();
                    }
                    progress.update(s + 1, 0, "");
                }
                progress.done();
                double[] steps = new double[c.length()];
                for (int t = 0; t < c.length(); t++) {
                    steps[t] = t + 1;
                    quality.println(Results.row(name, t + 1, cosine[t], variance[t]));
                }
                cosineLines.add(new Results.Line(name, steps, cosine));
                varianceLines.add(new Results.Line(name, steps, variance));
            }
        }
        results.chart("quality-cosine.png", "Cosine similarity to the exact RTRL gradient (" + c.cell() + ", n = "
                + c.hidden() + ")", "step along the sequence", "mean cosine", cosineLines, false, false);
        results.chart("quality-variance.png", "Relative variance of the gradient estimate", "step along the sequence",
                "E||g - exact||^2 / ||exact||^2", varianceLines, false, true);
    }

    /**
     * The per-step W gradients delta_t^T G_t of an estimator along the sequence with frozen
     * weights (prequential: step t predicts symbol t + 1). With a writer and an r-OK estimator,
     * also logs the reduction's closed-form and measured squared errors every step.
     */
    static double[][] gradients(Model model, InfluenceEstimator estimator, int[] sequence, SplitMix64 rng,
            PrintWriter okError, String name) {
        Cell cell = model.cell;
        StepTrace trace = cell.newTrace();
        double[] h = new double[cell.hiddenSize()];
        double[] out = new double[model.readout.outputSize()];
        double[] dOut = new double[out.length];
        double[] delta = new double[h.length];
        double[] gradV = new double[model.v.length];
        int steps = sequence.length - 1;
        double[][] g = new double[steps][model.w.length];
        estimator.reset();
        for (int t = 0; t < steps; t++) {
            trace.setSymbolInput(sequence[t], h);
            cell.forward(model.w, trace);
            cell.jacobians(model.w, trace);
            estimator.advance(trace, rng);
            if (okError != null && estimator instanceof OptimalKroneckerSum ok) {
                double[] measuredAndNorm = reductionError(ok, cell);
                double closed = ok.reduction().closedFormSquaredError();
                // Relative to the error itself, or to ||C||^2 where the reduction was exact.
                double scale = Math.max(closed, 1e-12 * measuredAndNorm[1]);
                okError.println(Results.row(name, t + 1, closed, measuredAndNorm[0],
                        Math.abs(measuredAndNorm[0] - closed) / scale));
            }
            System.arraycopy(trace.hidden, 0, h, 0, h.length);
            model.readout.predict(model.v, h, out);
            model.readout.outputGradient(out, sequence[t + 1], dOut);
            model.readout.backward(model.v, h, dOut, delta, gradV);
            estimator.gradient(delta, g[t]);
        }
        return g;
    }

    /**
     * {||sum_l A'_l (x) u'_l - C||^2, ||C||^2} with C = sum_s A_s (x) u_s, both formed
     * explicitly.
     */
    private static double[] reductionError(OptimalKroneckerSum ok, Cell cell) {
        int n = cell.hiddenSize();
        int lenA = n * cell.blocks() * n;
        int p = cell.affineSize();
        int r = ok.factorsU().length / p;
        double[] c = new double[lenA * p];
        accumulate(c, ok.termsA(), ok.termsU(), lenA, p, r + 1, 1.0);
        double norm = squaredNorm(c);
        accumulate(c, ok.factorsA(), ok.factorsU(), lenA, p, r, -1.0);
        return new double[] {squaredNorm(c), norm};
    }

    private static void accumulate(double[] c, double[] a, double[] u, int lenA, int p, int terms, double sign) {
        for (int s = 0; s < terms; s++) {
            for (int i = 0; i < lenA; i++) {
                double ai = sign * a[s * lenA + i];
                if (ai == 0.0) {
                    continue;
                }
                for (int j = 0; j < p; j++) {
                    c[i * p + j] += ai * u[s * p + j];
                }
            }
        }
    }

    static double cosine(double[] a, double[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot / Math.sqrt(squaredNorm(a) * squaredNorm(b));
    }

    static double squaredNorm(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        return s;
    }

    static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s;
    }
}
