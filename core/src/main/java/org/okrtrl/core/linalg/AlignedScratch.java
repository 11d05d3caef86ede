package org.okrtrl.core.linalg;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * A per-thread scratch array whose used part starts on a cache line. Java cannot ask for an
 * aligned array, and a vector load that straddles two 64-byte lines costs about twice one that
 * does not (the product's packed panel of H_t ran 13% faster aligned than at a random offset).
 * Two facts of HotSpot make the place knowable: G1 starts every humongous object (at least half
 * a heap region) on a region boundary and never moves it, and a double[]'s data follows a header
 * of known size. So the scratch is allocated just past the humongous size, and its aligned index
 * is computed once. Where either fact is unavailable (another collector, regions too large to
 * spend half of one per thread), the scratch is an ordinary array used from index 0. Only speed
 * depends on this; every result is the same wherever the scratch lies.
 */
final class AlignedScratch {
    private static final int LINE_BYTES = 64;
    /** Half a region above this is not worth spending per thread for alignment. */
    private static final long MAX_HUMONGOUS_BYTES = 4L << 20;

    /** Index of the first element on a line, in an array allocated with {@link #allocationLength}. */
    static final int START;
    private static final int MIN_HUMONGOUS_LENGTH;

    static {
        int start = 0;
        int minLength = 0;
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            boolean g1 = Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue());
            long region = Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
            boolean compressedClasses = Boolean.parseBoolean(vm.getVMOption("UseCompressedClassPointers").getValue());
            if (g1 && region > 0 && region / 2 <= MAX_HUMONGOUS_BYTES) {
                int header = compressedClasses ? 16 : 24;
                start = (LINE_BYTES - header % LINE_BYTES) % LINE_BYTES / Double.BYTES;
                minLength = (int) (region / 2 / Double.BYTES) + 1;
            }
        } catch (RuntimeException | LinkageError e) {
            // No HotSpot diagnostics: plain arrays.
        }
        START = start;
        MIN_HUMONGOUS_LENGTH = minLength;
    }

    private AlignedScratch() {}

    /** Length of an array whose elements [START, START + used) lie on lines as described. */
    static int allocationLength(int used) {
        return Math.max(START + used, MIN_HUMONGOUS_LENGTH);
    }
}
