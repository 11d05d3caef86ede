package org.okrtrl.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Jacobi SVD against EJML's Golub-Kahan SVD, and its own reconstruction. */
class SmallSvdTest {

    @ParameterizedTest(name = "k={0}, {1}")
    @CsvSource({
        "1, random", "2, random", "5, random", "9, random", "17, random",
        "5, rank-deficient", "9, rank-deficient", "4, repeated", "9, repeated", "6, zero"
    })
    void matchesEjmlAndReconstructs(int k, String kind) {
        SplittableRandom rng = new SplittableRandom(k * 31L + kind.hashCode());
        double[] m = new double[k * k];
        for (int i = 0; i < m.length; i++) {
            m[i] = rng.nextDouble() * 2 - 1;
        }
        if (kind.equals("rank-deficient")) {
            for (int j = 0; j < k; j++) {
                m[(k - 1) * k + j] = 0.5 * m[j] - 2 * m[k + j];
            }
        } else if (kind.equals("repeated")) {
            // An orthogonal matrix times 2: every singular value equals 2.
            DMatrixRMaj q = new DMatrixRMaj(k, k, true, m);
            var qr = DecompositionFactory_DDRM.qr(k, k);
            qr.decompose(q);
            DMatrixRMaj orthogonal = qr.getQ(null, false);
            for (int i = 0; i < m.length; i++) {
                m[i] = 2 * orthogonal.data[i];
            }
        } else if (kind.equals("zero")) {
            java.util.Arrays.fill(m, 0.0);
        }
        SmallSvd svd = new SmallSvd(k);
        svd.decompose(m);

        SingularValueDecomposition_F64<DMatrixRMaj> reference = DecompositionFactory_DDRM.svd(k, k, false, false, true);
        assertTrue(reference.decompose(new DMatrixRMaj(k, k, true, m)));
        double[] expected = reference.getSingularValues().clone();
        SingularOps_DDRM.descendingOrder(null, false, expected, k, null, false);
        double scale = Math.max(1e-300, expected[0]);
        for (int i = 0; i < k; i++) {
            assertEquals(expected[i], svd.singularValues()[i], 1e-13 * Math.max(1, scale), "sigma_" + i);
        }
        // M = U diag(sigma) V^T and V orthogonal.
        double[] u = svd.left();
        double[] v = svd.right();
        double[] sigma = svd.singularValues();
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                double vtv = 0;
                for (int l = 0; l < k; l++) {
                    s += u[i * k + l] * sigma[l] * v[j * k + l];
                    vtv += v[l * k + i] * v[l * k + j];
                }
                assertEquals(m[i * k + j], s, 1e-13, "reconstruction");
                assertEquals(i == j ? 1.0 : 0.0, vtv, 1e-13, "V orthogonal");
            }
        }
    }
}
