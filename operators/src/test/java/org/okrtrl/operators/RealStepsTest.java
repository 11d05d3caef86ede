package org.okrtrl.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.LearnerSpec;

/**
 * Real-valued steps as the job reads them: with standardisation a series in other units (scaled
 * and shifted) is learned identically, its errors scaled by the square of the factor; forecasts
 * score the previous step's output against this step's y.
 */
class RealStepsTest {
    private static final LearnerSpec SPEC =
            new LearnerSpec("ok:4", "rhn", 2, 8, 1, Readout.Link.LINEAR, "adam", 3e-3, 1.0, 1, 0.0, 0.01);

    /** The squared errors of one key over a noisy seasonal series in units scale * v + shift. */
    private static double[] run(RealValued config, double scale, double shift, double[] lastOutput) {
        RealSteps steps = new RealSteps(config);
        KeyState key = KeyState.fresh(SPEC, 3);
        SplittableRandom rng = new SplittableRandom(6);
        int n = 1500;
        double[] errors = new double[n];
        double[] output = new double[1];
        for (int t = 0; t < n; t++) {
            double v = Math.sin(2 * Math.PI * t / 12) + 0.1 * rng.nextGaussian();
            double[] x = {scale * v + shift, Math.cos(2 * Math.PI * t / 12)};
            double[] y = {scale * v + shift};
            if (config.task() == RealValued.Task.REGRESS) {
                // The same step's target: the value a quarter period ahead, known in hindsight.
                y[0] = scale * Math.sin(2 * Math.PI * (t + 3) / 12) + shift;
            }
            errors[t] = steps.step(key, x, y, OnlineTrainingFunction.OWN_LEARNER, output);
        }
        lastOutput[0] = output[0];
        return errors;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"FORECAST, LEVEL", "FORECAST, CHANGE", "REGRESS, LEVEL"})
    void standardisedLearningDoesNotDependOnTheSeriesUnits(RealValued.Task task, RealValued.ForecastTarget target) {
        RealValued config = new RealValued(task, true, List.of("v"), target);
        double[] outA = new double[1];
        double[] outB = new double[1];
        double[] a = run(config, 1, 0, outA);
        double[] b = run(config, 1000, -5e4, outB);
        int scored = 0;
        for (int t = 0; t < a.length; t++) {
            assertEquals(Double.isNaN(a[t]), Double.isNaN(b[t]), "scored at " + t);
            if (!Double.isNaN(a[t])) {
                scored++;
                assertEquals(a[t] * 1e6, b[t], 1e-5 * b[t] + 1e-3, "error at " + t);
            }
        }
        assertEquals(a.length - 1, scored, "scored from the first step that has a prediction in the series' units");
        assertEquals(outA[0] * 1000 - 5e4, outB[0], 1e-6 * Math.abs(outB[0]), "outputs are in the series' units");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"LEVEL", "CHANGE"})
    void forecastsOfANoisySineImproveOnPersistence(RealValued.ForecastTarget target) {
        double[] out = new double[1];
        double[] errors = run(new RealValued(RealValued.Task.FORECAST, true, List.of(), target), 1, 0, out);
        double model = 0;
        double persistence = 0;
        int count = 0;
        for (int t = errors.length - 300; t < errors.length; t++) {
            model += errors[t];
            double change = Math.sin(2 * Math.PI * t / 12) - Math.sin(2 * Math.PI * (t - 1) / 12);
            persistence += change * change;
            count++;
        }
        assertTrue(model / count < 0.5 * persistence / count, target + ": model " + model / count
                + " vs persistence (noise-free) " + persistence / count);
    }

    /**
     * The exported model's scorer forecasts what the job forecasts: the job's real-valued steps
     * over a model that does not step (its batch never fills) against {@code SeriesScorer} over
     * the model file, bit for bit, in every reading.
     */
    @ParameterizedTest(name = "{0} {1} standardize {2}")
    @CsvSource({"FORECAST, CHANGE, true", "FORECAST, LEVEL, true", "REGRESS, LEVEL, true", "FORECAST, CHANGE, false"})
    void theExportedScorerComputesTheJobsOutputs(RealValued.Task task, RealValued.ForecastTarget target,
            boolean standardize) throws Exception {
        org.okrtrl.core.train.SharedLearner learner = SPEC.createShared(5, Integer.MAX_VALUE, false);
        StreamKeyState key = new StreamKeyState(1, learner.newStream(1));
        RealSteps steps = new RealSteps(new RealValued(task, standardize, List.of("v"), target));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("series-model", ".json");
        org.okrtrl.core.model.ModelFile.of(learner.shared().model(), org.okrtrl.core.cell.CellType.RHN, null, -1,
                java.util.Map.of("real-task", task.toString(), "forecast-target", target.toString(), "standardize",
                        Boolean.toString(standardize))).write(file);
        org.okrtrl.core.model.SeriesScorer scorer =
                new org.okrtrl.core.model.SeriesScorer(org.okrtrl.core.model.ModelFile.read(file));
        java.nio.file.Files.delete(file);
        SharedTrainingOperator.SharedStreams learning = new SharedTrainingOperator.SharedStreams(learner);
        SplittableRandom rng = new SplittableRandom(2);
        double[] jobOut = new double[1];
        double[] scorerOut = new double[1];
        for (int t = 0; t < 400; t++) {
            double v = 50 + 10 * Math.sin(2 * Math.PI * t / 24) + rng.nextGaussian();
            double[] x = {v, Math.cos(2 * Math.PI * t / 24)};
            double[] y = {v};
            double jobError = steps.step(key, x, y, learning, jobOut);
            double scorerError = scorer.step(x, y, scorerOut);
            assertEquals(jobError, scorerError, 0.0, "squared error at " + t);
            assertEquals(jobOut[0], scorerOut[0], 0.0, "output at " + t);
        }
        assertEquals(0, learner.shared().updates(), "the job's model never stepped");
    }
}
