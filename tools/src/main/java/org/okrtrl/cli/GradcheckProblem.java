package org.okrtrl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.okrtrl.core.train.Algorithms;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.HighwayCell;
import org.okrtrl.core.cell.TanhCell;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.Model;

/**
 * A gradient-check problem read from JSON and validated field by field: cell, W, V, inputs,
 * targets, estimators, samples, seed.
 */
final class GradcheckProblem {
    final Model model;
    final double[][] inputs;
    final double[][] targets;
    final List<String> estimators;
    final int samples;
    final long seed;

    private GradcheckProblem(Model model, double[][] inputs, double[][] targets, List<String> estimators,
            int samples, long seed) {
        this.model = model;
        this.inputs = inputs;
        this.targets = targets;
        this.estimators = estimators;
        this.samples = samples;
        this.seed = seed;
    }

    static GradcheckProblem parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new UserInputException("problem: expected a JSON object");
        }
        String cellName = text(root, "cell");
        int blocks;
        if (cellName.equals("rnn")) {
            blocks = 1;
        } else if (cellName.equals("rhn")) {
            blocks = 2;
        } else {
            throw new UserInputException("cell: expected \"rnn\" or \"rhn\", got \"" + cellName + "\"");
        }
        double[][] w = matrix(root, "W");
        double[][] v = matrix(root, "V");
        int n = v[0].length - 1;
        if (n < 1) {
            throw new UserInputException("V: needs n + 1 >= 2 columns ([h ; 1])");
        }
        if (w.length != blocks * n) {
            throw new UserInputException("W: expected " + blocks * n + " rows (g*n with g=" + blocks + ", n=" + n
                    + " from V's columns), got " + w.length);
        }
        int m = w[0].length - n - 1;
        if (m < 1) {
            throw new UserInputException("W: expected m + n + 1 columns with m >= 1 and n=" + n + ", got "
                    + w[0].length);
        }
        double[][] inputs = matrix(root, "inputs");
        double[][] targets = matrix(root, "targets");
        if (inputs[0].length != m) {
            throw new UserInputException("inputs: expected rows of length m=" + m + ", got " + inputs[0].length);
        }
        if (targets[0].length != v.length) {
            throw new UserInputException("targets: expected rows of length o=" + v.length + " (V's rows), got "
                    + targets[0].length);
        }
        if (targets.length != inputs.length) {
            throw new UserInputException("targets: expected " + inputs.length + " rows (one per input), got "
                    + targets.length);
        }
        JsonNode list = root.get("estimators");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new UserInputException("estimators: expected a non-empty array of names");
        }
        List<String> estimators = new ArrayList<>();
        for (JsonNode e : list) {
            if (!e.isTextual()) {
                throw new UserInputException("estimators: every entry must be a string, got " + e);
            }
            try {
                Algorithms.validate(e.asText());
            } catch (IllegalArgumentException ex) {
                throw new UserInputException("estimators: " + ex.getMessage());
            }
            estimators.add(e.asText());
        }
        int samples = (int) integer(root, "samples", 1000, 1, 10_000_000);
        long seed = integer(root, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);

        Cell cell = blocks == 1 ? new TanhCell(m, n) : new HighwayCell(m, n, 0.0);
        Model model = new Model(cell, new Readout(Readout.Link.LINEAR, n, v.length));
        flatten(w, model.w);
        flatten(v, model.v);
        return new GradcheckProblem(model, inputs, targets, estimators, samples, seed);
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual()) {
            throw new UserInputException(field + ": expected a string");
        }
        return node.asText();
    }

    private static long integer(JsonNode root, String field, long fallback, long min, long max) {
        JsonNode node = root.get(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new UserInputException(field + ": expected an integer, got " + node);
        }
        long value = node.asLong();
        if (value < min || value > max) {
            throw new UserInputException(field + ": expected a value in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /** A non-empty rectangular matrix of finite numbers. */
    private static double[][] matrix(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new UserInputException(field + ": expected a non-empty array of rows");
        }
        double[][] out = new double[node.size()][];
        for (int i = 0; i < node.size(); i++) {
            JsonNode row = node.get(i);
            if (!row.isArray() || row.isEmpty()) {
                throw new UserInputException(field + "[" + i + "]: expected a non-empty array of numbers");
            }
            if (i > 0 && row.size() != out[0].length) {
                throw new UserInputException(field + "[" + i + "]: expected " + out[0].length
                        + " entries like row 0, got " + row.size() + " (rows must have equal length)");
            }
            out[i] = new double[row.size()];
            for (int j = 0; j < row.size(); j++) {
                JsonNode x = row.get(j);
                if (!x.isNumber()) {
                    throw new UserInputException(field + "[" + i + "][" + j + "]: expected a number, got " + x);
                }
                double value = x.asDouble();
                if (!Double.isFinite(value)) {
                    throw new UserInputException(field + "[" + i + "][" + j + "]: not a finite number");
                }
                out[i][j] = value;
            }
        }
        return out;
    }

    private static void flatten(double[][] rows, double[] target) {
        int cols = rows[0].length;
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, target, i * cols, cols);
        }
    }
}
