package org.okrtrl.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OuterProductAccumulatorTest {

    /**
     * Terms added late must give the same bits as adding each block at once with
     * {@link Dense#addColumnMajorTransposedRight}: shapes with vector tiles, single vector rows,
     * scalar rows and leftover columns, blocks that fill the buffer exactly or overflow it, and
     * reads in the middle.
     */
    @ParameterizedTest
    @CsvSource({"161, 128, 8, 40, 128", "161, 128, 8, 16, 128", "3, 5, 2, 9, 4", "37, 7, 3, 11, 8",
            "64, 130, 9, 7, 20", "8, 4, 1, 33, 32", "33, 9, 5, 6, 4", "96, 33, 8, 5, 16"})
    void lateSumIsBitIdenticalToBlockByBlock(int m, int n, int k, int blocks, int capacity) {
        SplittableRandom random = new SplittableRandom(m * 1000L + n * 10L + k);
        double[] expected = randomArray(random, m * n);
        double[] late = expected.clone();
        OuterProductAccumulator accumulator = new OuterProductAccumulator(late, capacity);
        for (int block = 0; block < blocks; block++) {
            double[] a = randomArray(random, m * k);
            double[] b = randomArray(random, n * k);
            Dense.addColumnMajorTransposedRight(m, n, k, a, b, expected);
            accumulator.add(m, n, k, a, b);
            // The accumulator copied the terms: overwriting them must not change the sum.
            java.util.Arrays.fill(a, Double.NaN);
            java.util.Arrays.fill(b, Double.NaN);
            if (block % 5 == 3) {
                assertArrayEquals(expected, accumulator.dense());
            }
        }
        assertArrayEquals(expected, accumulator.dense());
        assertEquals(0, accumulator.pendingTerms());
    }

    @Test
    void holdsTermsUntilReadOrFull() {
        double[] dense = new double[16 * 4];
        OuterProductAccumulator accumulator = new OuterProductAccumulator(dense, 6);
        double[] a = new double[16 * 3];
        double[] b = new double[4 * 3];
        java.util.Arrays.fill(a, 1.0);
        java.util.Arrays.fill(b, 2.0);
        accumulator.add(16, 4, 3, a, b);
        if (Dense.VECTOR_API) {
            assertEquals(3, accumulator.pendingTerms());
            assertEquals(0.0, dense[0]);
            accumulator.add(16, 4, 3, a, b);
            assertEquals(6, accumulator.pendingTerms());
            accumulator.add(16, 4, 3, a, b);
            // The third block did not fit: the first two were added, the third waits.
            assertEquals(3, accumulator.pendingTerms());
            assertEquals(12.0, dense[0]);
        } else {
            assertEquals(0, accumulator.pendingTerms());
            accumulator.add(16, 4, 3, a, b);
            accumulator.add(16, 4, 3, a, b);
        }
        assertEquals(18.0, accumulator.dense()[63]);
    }

    @Test
    void discardingDropsOnlyPendingTerms() {
        double[] dense = new double[8 * 2];
        OuterProductAccumulator accumulator = new OuterProductAccumulator(dense);
        double[] a = new double[8];
        double[] b = {1.0, 1.0};
        java.util.Arrays.fill(a, 1.0);
        accumulator.add(8, 2, 1, a, b);
        accumulator.dense();
        accumulator.add(8, 2, 1, a, b);
        accumulator.discardPending();
        double[] expected = new double[16];
        java.util.Arrays.fill(expected, Dense.VECTOR_API ? 1.0 : 2.0);
        assertArrayEquals(expected, accumulator.dense());
    }

    @Test
    void refusesTermsOfAnotherShape() {
        OuterProductAccumulator accumulator = new OuterProductAccumulator(new double[12]);
        assertThrows(IllegalArgumentException.class, () -> accumulator.add(5, 2, 1, new double[5], new double[2]));
    }

    private static double[] randomArray(SplittableRandom random, int length) {
        double[] x = new double[length];
        for (int i = 0; i < length; i++) {
            x[i] = random.nextDouble(-1, 1);
        }
        return x;
    }
}
