package org.okrtrl.core.linalg;

/**
 * A dense matrix c (m x n, column-major) that takes sums of outer products a b^T late: the terms
 * are copied aside and added in one pass when {@link #dense()} is read or the buffer is full, so
 * a block of c is read and written once per many terms instead of once per term. This is what
 * a shared model's gradient needs: every event of a batch adds r outer products of the same shape
 * (a Kronecker sum's delta^T G), and reading c back from cache once per event cost about as much
 * as the products' arithmetic.
 *
 * <p>Every entry is summed in the order the terms were added, with the same operations as
 * {@link Dense#addColumnMajorTransposedRight} term block by term block, so the result does not
 * depend on when the pending terms are added (bit-identical to adding each block at once).
 * Without the Vector API the terms are added at once. The buffers ((m + n) x capacity doubles)
 * are allocated at the first deferred term, so an accumulator only used densely costs nothing.
 */
public final class OuterProductAccumulator {
    /** Terms held before they are added (16 events of 8-term Kronecker sums). */
    public static final int DEFAULT_CAPACITY = 128;

    private final double[] dense;
    private final int capacity;
    private double[] pendingA = new double[0];
    private double[] pendingB = new double[0];
    private int rows;
    private int columns;
    private int pending;

    /** @param dense the matrix the terms are added to (modified; read it through {@link #dense()}) */
    public OuterProductAccumulator(double[] dense) {
        this(dense, DEFAULT_CAPACITY);
    }

    /** @param capacity terms held before they are added (0: every term is added at once, no buffers) */
    public OuterProductAccumulator(double[] dense, int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        this.dense = dense;
        this.capacity = capacity;
    }

    /**
     * c += a b^T with a (m x k) and b (n x k) column-major (neither modified; they may be
     * overwritten as soon as this returns). m n must be c's length.
     */
    public void add(int m, int n, int k, double[] a, double[] b) {
        if (m * n != dense.length) {
            throw new IllegalArgumentException(m + " x " + n + " terms for a matrix of " + dense.length + " entries");
        }
        if (!Dense.VECTOR_API || k > capacity) {
            flush();
            Dense.addColumnMajorTransposedRight(m, n, k, a, b, dense);
            return;
        }
        if (pending > 0 && (m != rows || pending + k > capacity)) {
            flush();
        }
        if (pendingA.length < m * capacity || pendingB.length < n * capacity) {
            pendingA = new double[m * capacity];
            pendingB = new double[n * capacity];
        }
        rows = m;
        columns = n;
        System.arraycopy(a, 0, pendingA, pending * m, m * k);
        System.arraycopy(b, 0, pendingB, pending * n, n * k);
        pending += k;
    }

    /** c with every term added so far (a live view: callers may read and write it). */
    public double[] dense() {
        flush();
        return dense;
    }

    /** Drops the terms not yet added (c keeps what was added before). */
    public void discardPending() {
        pending = 0;
    }

    /** Terms held, not yet in c. */
    public int pendingTerms() {
        return pending;
    }

    private void flush() {
        if (pending == 0) {
            return;
        }
        OuterProductKernel.add(rows, columns, pending, pendingA, pendingB, dense);
        pending = 0;
    }
}
