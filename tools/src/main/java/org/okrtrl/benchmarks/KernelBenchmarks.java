package org.okrtrl.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.okrtrl.core.influence.OkReduction;
import org.okrtrl.core.influence.Precision;
import org.okrtrl.core.linalg.Dense;
import org.okrtrl.core.linalg.FloatDense;
import org.okrtrl.core.linalg.SmallSvd;
import org.okrtrl.core.random.SplitMix64;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The kernels of one r-OK step (docs/ALGORITHMS.md sections 4-5) at the shapes the step gives
 * them, for a vanilla cell with n hidden units and r terms: the influence product
 * H_t [A_1 ... A_r] (n x n by n x r n), the Gram matrix of the r + 1 candidate factors of
 * length n^2, the tall-by-small product that forms the r new factors, the small SVD of the
 * reduction (k = r + 1), the whole reduction and A^T delta; each pass over the factors in double
 * and in float (the factors' {@code --precision}). Run by {@code bin/okrtrl bench kernels};
 * whole steps, the pipeline and this core's peak are {@code bench step|pipeline|peak}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KernelBenchmarks {
    /** The vocabulary of the readout, which sets the length n + V + 1 of the u factors. */
    private static final int VOCAB = 50;

    @Param({"64", "128"})
    public int n;

    @Param({"8"})
    public int r;

    @Param({"double", "float"})
    public String precision;

    private boolean single;
    private float[] hFloat;
    private float[] factorsFloat;
    private float[] productFloat;
    private float[] candidatesFloat;
    private float[] smallFloat;
    private float[] tallFloat;
    private float[] reducedAFloat;
    private float[] gramScratchFloat;
    private float[] deltaFloat;
    private float[] projectedFloat;
    private double[] delta;
    private double[] projected;

    private double[] h;
    private double[] factors;
    private double[] product;
    private double[] candidates;
    private double[] candidateU;
    private double[] gram;
    private double[] gramScratch;
    private double[] small;
    private double[] tall;
    private double[] reducedA;
    private double[] reducedU;
    private SmallSvd svd;
    private OkReduction reduction;
    private SplitMix64 signs;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        int k = r + 1;
        int lenA = n * n;
        int lenU = n + VOCAB + 1;
        h = random.doubles(n * n, -1, 1).toArray();
        factors = random.doubles((long) r * lenA, -1, 1).toArray();
        product = new double[r * lenA];
        candidates = random.doubles((long) k * lenA, -1, 1).toArray();
        candidateU = random.doubles((long) k * lenU, -1, 1).toArray();
        gram = new double[k * k];
        gramScratch = new double[Dense.gramScratchLength(k)];
        small = random.doubles((long) k * k, -1, 1).toArray();
        tall = new double[r * lenA];
        reducedA = new double[r * lenA];
        reducedU = new double[r * lenU];
        svd = new SmallSvd(k);
        single = Precision.parse(precision) == Precision.FLOAT;
        reduction = new OkReduction(lenA, lenU, r, null, Precision.parse(precision));
        signs = new SplitMix64(random.nextLong());
        hFloat = rounded(h);
        factorsFloat = rounded(factors);
        productFloat = new float[product.length];
        candidatesFloat = rounded(candidates);
        smallFloat = rounded(small);
        tallFloat = new float[tall.length];
        reducedAFloat = new float[reducedA.length];
        gramScratchFloat = new float[FloatDense.gramScratchLength(k)];
        delta = random.doubles(n, -1, 1).toArray();
        deltaFloat = rounded(delta);
        projected = new double[r * n];
        projectedFloat = new float[r * n];
    }

    private static float[] rounded(double[] x) {
        float[] f = new float[x.length];
        FloatDense.round(x.length, x, f);
        return f;
    }

    /** H_t [A_1 ... A_r]: the n^3 r product that dominates a step. */
    @Benchmark
    public Object influenceProduct() {
        if (single) {
            FloatDense.multiplySquareLeft(n, r * n, hFloat, factorsFloat, productFloat);
            return productFloat;
        }
        Dense.multiplySquareLeft(n, r * n, h, factors, product);
        return product;
    }

    /** The Gram matrix of the r + 1 candidate factors. */
    @Benchmark
    public double[] gramOfCandidates() {
        if (single) {
            FloatDense.gramColumns(n * n, r + 1, candidatesFloat, gram, gramScratchFloat);
        } else {
            Dense.gramColumns(n * n, r + 1, candidates, gram, gramScratch);
        }
        return gram;
    }

    /** The r new factors as combinations of the r + 1 candidates. */
    @Benchmark
    public Object newFactors() {
        if (single) {
            FloatDense.multiplyTallBySmall(n * n, r + 1, r, candidatesFloat, smallFloat, tallFloat);
            return tallFloat;
        }
        Dense.multiplyTallBySmall(n * n, r + 1, r, candidates, small, tall);
        return tall;
    }

    /** A^T delta over the r factors (n x r n), the first half of a step's gradient. */
    @Benchmark
    public Object transposedProduct() {
        if (single) {
            FloatDense.multiplyTransposedVectorColumnMajor(n, r * n, factorsFloat, deltaFloat, projectedFloat);
            return projectedFloat;
        }
        Dense.multiplyTransposedVectorColumnMajor(n, r * n, factors, delta, projected);
        return projected;
    }

    /** The (r + 1) x (r + 1) SVD inside the reduction. */
    @Benchmark
    public double[] smallSvd() {
        svd.decompose(small);
        return svd.singularValues();
    }

    /** The whole optimal reduction of r + 1 terms to r. */
    @Benchmark
    public Object reduction() {
        if (single) {
            reduction.reduce(candidatesFloat, candidateU, reducedAFloat, reducedU, signs);
            return reducedAFloat;
        }
        reduction.reduce(candidates, candidateU, reducedA, reducedU, signs);
        return reducedA;
    }
}
