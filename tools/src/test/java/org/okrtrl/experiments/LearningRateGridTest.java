package org.okrtrl.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearningRateGridTest {
    @Test
    void everyRateRunsOnTheFirstSeedAndTheRestRunAtTheBestRate() throws Exception {
        List<String> calls = new ArrayList<>();
        // Score: distance of the rate from 3e-4, so the middle rate wins for "a"; "b" prefers 1e-4.
        var runs = LearningRateGrid.run(List.of("a", "b"), List.of(1e-3, 3e-4, 1e-4), List.of(7L, 8L, 9L),
                (algorithm, rate, seed) -> {
                    calls.add(algorithm + "@" + rate + "#" + seed);
                    return algorithm.equals("a") ? Math.abs(rate - 3e-4) : rate;
                }, score -> score);
        assertEquals(List.of("a@0.001#7", "a@3.0E-4#7", "a@1.0E-4#7", "a@3.0E-4#8", "a@3.0E-4#9",
                "b@0.001#7", "b@3.0E-4#7", "b@1.0E-4#7", "b@1.0E-4#8", "b@1.0E-4#9"), calls);
        assertEquals(10, runs.size());
        assertEquals(List.of(false, true, false, true, true, false, false, true, true, true),
                runs.stream().map(LearningRateGrid.Run::selected).toList());
    }

    @Test
    void aSingleRateIsNoGrid() throws Exception {
        var runs = LearningRateGrid.run(List.of("a"), List.of(1e-3), List.of(1L, 2L), (a, r, s) -> (double) s,
                x -> x);
        assertEquals(2, runs.size());
        assertEquals(List.of(true, true), runs.stream().map(LearningRateGrid.Run::selected).toList());
    }
}
