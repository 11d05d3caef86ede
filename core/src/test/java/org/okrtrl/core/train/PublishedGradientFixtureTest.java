package org.okrtrl.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.cell.TanhCell;
import org.okrtrl.core.influence.ExactRtrl;
import org.okrtrl.core.readout.Readout;

/**
 * Oracle 3: an exact RTRL gradient computed by an independent public numpy implementation
 * (see the fixture's "source" field) is reproduced to 1e-12.
 */
class PublishedGradientFixtureTest {

    @Test
    void reproducesIndependentRtrlGradient() throws IOException {
        Map<String, Object> fx;
        try (InputStream in = getClass().getResourceAsStream("/elman-mse-rtrl-gradient.json")) {
            fx = JsonFixture.object(JsonFixture.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
        int n = (int) JsonFixture.number(fx.get("n"));
        int m = (int) JsonFixture.number(fx.get("n_in"));
        int o = (int) JsonFixture.number(fx.get("n_out"));
        Model model = new Model(new TanhCell(m, n), new Readout(Readout.Link.LINEAR, n, o));
        int p = m + n + 1;
        // W columns are [x ; h_prev ; 1]: [W_in | W_rec | b_rec].
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < m; j++) {
                model.w[k * p + j] = at(fx, "W_in", k, j);
            }
            for (int j = 0; j < n; j++) {
                model.w[k * p + m + j] = at(fx, "W_rec", k, j);
            }
            model.w[k * p + m + n] = at(fx, "b_rec", k);
        }
        for (int i = 0; i < o; i++) {
            for (int k = 0; k < n; k++) {
                model.v[i * (n + 1) + k] = at(fx, "W_out", i, k);
            }
            model.v[i * (n + 1) + n] = at(fx, "b_out", i);
        }
        double[][] xs = matrix(fx.get("X"));
        double[][] ys = matrix(fx.get("Y"));

        SequenceGradients.Result result =
                SequenceGradients.online(model, new ExactRtrl(model.cell), xs, ys, new SplitMix64(0));

        double tolerance = 1e-12;
        assertEquals(JsonFixture.number(fx.get("L_total")), result.loss(), tolerance);
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < m; j++) {
                assertEquals(at(fx, "grad_W_in", k, j), result.gradW()[k * p + j], tolerance);
            }
            for (int j = 0; j < n; j++) {
                assertEquals(at(fx, "grad_W_rec", k, j), result.gradW()[k * p + m + j], tolerance);
            }
            assertEquals(at(fx, "grad_b_rec", k), result.gradW()[k * p + m + n], tolerance);
        }
        for (int i = 0; i < o; i++) {
            for (int k = 0; k < n; k++) {
                assertEquals(at(fx, "grad_W_out", i, k), result.gradV()[i * (n + 1) + k], tolerance);
            }
            assertEquals(at(fx, "grad_b_out", i), result.gradV()[i * (n + 1) + n], tolerance);
        }
    }

    private static double at(Map<String, Object> fx, String name, int... index) {
        Object value = fx.get(name);
        for (int i : index) {
            value = JsonFixture.array(value).get(i);
        }
        return JsonFixture.number(value);
    }

    private static double[][] matrix(Object node) {
        List<Object> rows = JsonFixture.array(node);
        double[][] out = new double[rows.size()][];
        for (int t = 0; t < rows.size(); t++) {
            List<Object> row = JsonFixture.array(rows.get(t));
            out[t] = new double[row.size()];
            for (int j = 0; j < out[t].length; j++) {
                out[t][j] = JsonFixture.number(row.get(j));
            }
        }
        return out;
    }
}
