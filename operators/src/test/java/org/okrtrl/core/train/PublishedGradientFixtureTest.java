package org.okrtrl.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.okrtrl.core.SplitMix64;
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
        JsonNode fx;
        try (InputStream in = getClass().getResourceAsStream("/elman-mse-rtrl-gradient.json")) {
            fx = new ObjectMapper().readTree(in);
        }
        int n = fx.get("n").asInt();
        int m = fx.get("n_in").asInt();
        int o = fx.get("n_out").asInt();
        Model model = new Model(new TanhCell(m, n), new Readout(Readout.Link.LINEAR, n, o));
        int p = m + n + 1;
        // W columns are [x ; h_prev ; 1]: [W_in | W_rec | b_rec].
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < m; j++) {
                model.w[k * p + j] = fx.get("W_in").get(k).get(j).asDouble();
            }
            for (int j = 0; j < n; j++) {
                model.w[k * p + m + j] = fx.get("W_rec").get(k).get(j).asDouble();
            }
            model.w[k * p + m + n] = fx.get("b_rec").get(k).asDouble();
        }
        for (int i = 0; i < o; i++) {
            for (int k = 0; k < n; k++) {
                model.v[i * (n + 1) + k] = fx.get("W_out").get(i).get(k).asDouble();
            }
            model.v[i * (n + 1) + n] = fx.get("b_out").get(i).asDouble();
        }
        double[][] xs = matrix(fx.get("X"));
        double[][] ys = matrix(fx.get("Y"));

        SequenceGradients.Result result =
                SequenceGradients.online(model, new ExactRtrl(model.cell), xs, ys, new SplitMix64(0));

        double tolerance = 1e-12;
        assertEquals(fx.get("L_total").asDouble(), result.loss(), tolerance);
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < m; j++) {
                assertEquals(fx.get("grad_W_in").get(k).get(j).asDouble(), result.gradW()[k * p + j], tolerance);
            }
            for (int j = 0; j < n; j++) {
                assertEquals(fx.get("grad_W_rec").get(k).get(j).asDouble(), result.gradW()[k * p + m + j], tolerance);
            }
            assertEquals(fx.get("grad_b_rec").get(k).asDouble(), result.gradW()[k * p + m + n], tolerance);
        }
        for (int i = 0; i < o; i++) {
            for (int k = 0; k < n; k++) {
                assertEquals(fx.get("grad_W_out").get(i).get(k).asDouble(), result.gradV()[i * (n + 1) + k], tolerance);
            }
            assertEquals(fx.get("grad_b_out").get(i).asDouble(), result.gradV()[i * (n + 1) + n], tolerance);
        }
    }

    private static double[][] matrix(JsonNode node) {
        double[][] out = new double[node.size()][];
        for (int t = 0; t < node.size(); t++) {
            out[t] = new double[node.get(t).size()];
            for (int j = 0; j < out[t].length; j++) {
                out[t][j] = node.get(t).get(j).asDouble();
            }
        }
        return out;
    }
}
