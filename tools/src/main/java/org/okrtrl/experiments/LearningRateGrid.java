package org.okrtrl.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Fair tuning with the same budget for every algorithm: each learning rate of the grid is run
 * with the first seed, the one with the lowest selection score (a validation measure, never the
 * test split) is kept, and the remaining seeds run at that rate only.
 */
final class LearningRateGrid {
    private LearningRateGrid() {}

    /** One run of the grid; {@code selected} marks the runs at the algorithm's chosen rate. */
    record Run<O>(String algorithm, double learningRate, long seed, O outcome, boolean selected) {}

    /** Runs one (algorithm, learning rate, seed). */
    interface Runner<O> {
        O run(String algorithm, double learningRate, long seed) throws Exception;
    }

    static <O> List<Run<O>> run(List<String> algorithms, List<Double> rates, List<Long> seeds, Runner<O> runner,
            ToDoubleFunction<O> selectionScore) throws Exception {
        List<Run<O>> runs = new ArrayList<>();
        for (String algorithm : algorithms) {
            long first = seeds.get(0);
            List<O> firstSeed = new ArrayList<>();
            int chosen = 0;
            for (int i = 0; i < rates.size(); i++) {
                O outcome = runner.run(algorithm, rates.get(i), first);
                firstSeed.add(outcome);
                if (selectionScore.applyAsDouble(outcome) < selectionScore.applyAsDouble(firstSeed.get(chosen))) {
                    chosen = i;
                }
            }
            for (int i = 0; i < rates.size(); i++) {
                runs.add(new Run<>(algorithm, rates.get(i), first, firstSeed.get(i), i == chosen));
            }
            for (long seed : seeds.subList(1, seeds.size())) {
                runs.add(new Run<>(algorithm, rates.get(chosen), seed, runner.run(algorithm, rates.get(chosen), seed),
                        true));
            }
        }
        return runs;
    }
}
