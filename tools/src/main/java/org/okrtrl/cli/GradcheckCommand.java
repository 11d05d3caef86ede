package org.okrtrl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.okrtrl.core.train.Algorithms;
import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.influence.InfluenceEstimator;
import org.okrtrl.core.train.Model;
import org.okrtrl.core.train.SequenceGradients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Compares estimators against the exact gradient on the user's own frozen weights: the exact
 * whole-sequence gradient by backpropagation through time, and for each estimator the mean of N
 * sampled gradients, its relative bias and the relative spread of a single sample.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Check gradient estimators against the exact gradient on given weights (JSON in, JSON out).")
public final class GradcheckCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--problem", required = true, description = "Problem JSON file (see README).")
    Path problemFile;

    @Option(names = "--out", description = "Write the result JSON here instead of standard output.")
    Path out;

    @Override
    public Integer call() throws IOException {
        ObjectMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        if (!Files.isReadable(problemFile)) {
            throw new UserInputException("--problem: cannot read " + problemFile);
        }
        JsonNode root;
        try {
            root = mapper.readTree(problemFile.toFile());
        } catch (JsonProcessingException e) {
            throw new UserInputException("problem: invalid JSON: " + e.getOriginalMessage());
        }
        Map<String, Object> result = run(GradcheckProblem.parse(root));
        String json = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(result);
        if (out != null) {
            Files.writeString(out, json + System.lineSeparator());
        } else {
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.println(json);
            stdout.flush();
        }
        return 0;
    }

    static Map<String, Object> run(GradcheckProblem problem) {
        Model model = problem.model;
        SequenceGradients.Result exact = SequenceGradients.backpropagation(model, problem.inputs, problem.targets);
        double exactNorm = norm(exact.gradW());
        if (exactNorm == 0.0) {
            throw new UserInputException("problem: the exact W gradient is zero, so relative errors are undefined");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("loss", exact.loss());
        Map<String, Object> exactOut = new LinkedHashMap<>();
        exactOut.put("dW", rows(exact.gradW(), model.w.length / model.cell.affineSize()));
        exactOut.put("dV", rows(exact.gradV(), model.readout.outputSize()));
        result.put("exact", exactOut);

        Map<String, Object> estimators = new LinkedHashMap<>();
        for (String name : problem.estimators) {
            estimators.put(name, sample(problem, name, exact.gradW(), exactNorm));
        }
        result.put("estimators", estimators);
        return result;
    }

    private static Map<String, Object> sample(GradcheckProblem problem, String name, double[] exact, double exactNorm) {
        Model model = problem.model;
        int len = exact.length;
        org.okrtrl.core.Algorithm algorithm = org.okrtrl.core.Algorithm.parse(name);
        boolean deterministic = algorithm.kind() == org.okrtrl.core.Algorithm.Kind.RTRL || !algorithm.isEstimator();
        int count = deterministic ? 1 : problem.samples;
        double[] mean = new double[len];
        double squaredError = 0;
        InfluenceEstimator estimator = algorithm.isEstimator() ? Algorithms.estimator(algorithm, model.cell) : null;
        SplitMix64 rng = new SplitMix64(problem.seed);
        for (int s = 0; s < count; s++) {
            double[] g = estimator != null
                    ? SequenceGradients.online(model, estimator, problem.inputs, problem.targets, rng).gradW()
                    : SequenceGradients.truncated(model, Integer.parseInt(name.substring(6)), problem.inputs,
                            problem.targets).gradW();
            for (int i = 0; i < len; i++) {
                mean[i] += g[i] / count;
                squaredError += (g[i] - exact[i]) * (g[i] - exact[i]);
            }
        }
        double bias = 0;
        for (int i = 0; i < len; i++) {
            bias += (mean[i] - exact[i]) * (mean[i] - exact[i]);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mean_dW", rows(mean, model.w.length / model.cell.affineSize()));
        out.put("rel_bias", Math.sqrt(bias) / exactNorm);
        out.put("rel_std_one_sample", Math.sqrt(squaredError / count) / exactNorm);
        out.put("samples", count);
        out.put("deterministic", deterministic);
        return out;
    }

    private static double[][] rows(double[] flat, int rows) {
        int cols = flat.length / rows;
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, out[i], 0, cols);
        }
        return out;
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
