package org.okrtrl.experiments;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-step time against n and r from a {@code bin/okrtrl bench} table, on log-log axes, with
 * least-squares slopes (expected: r-OK and KF-RTRL ~ n^3 and r-OK ~ r, RTRL ~ n^4, UORO ~ n^2).
 */
final class Scaling {
    /** One row of the bench table. */
    record Point(String algorithm, String cell, int n, double medianMs) {}

    static Map<String, Double> run(Path benchTable, String cell, int minN, Results results) throws IOException {
        List<Point> points = parse(benchTable);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", "scaling");
        config.put("bench_table", benchTable.toString());
        config.put("cell", cell);
        config.put("fit_from_n", minN);
        results.config(config);
        Map<String, TreeMap<Integer, Double>> byAlgorithm = new LinkedHashMap<>();
        for (Point p : points) {
            if (p.cell().equals(cell)) {
                byAlgorithm.computeIfAbsent(p.algorithm(), k -> new TreeMap<>()).put(p.n(), p.medianMs());
            }
        }
        Map<String, Double> slopes = new LinkedHashMap<>();
        List<Results.Line> lines = new ArrayList<>();
        try (PrintWriter csv = results.csv("slopes.csv", "algorithm", "cell", "slope_in_n", "fit_points",
                "ms_per_n3", "ms_per_n2", "n_where_n3_part_equals_n2_part")) {
            for (Map.Entry<String, TreeMap<Integer, Double>> e : byAlgorithm.entrySet()) {
                List<double[]> fit = new ArrayList<>();
                e.getValue().forEach((n, ms) -> {
                    if (n >= minN) {
                        fit.add(new double[] {Math.log(n), Math.log(ms)});
                    }
                });
                double slope = fit.size() >= 2 ? slope(fit) : Double.NaN;
                slopes.put(e.getKey(), slope);
                double[] split = cubicPlusQuadratic(e.getValue());
                csv.println(Results.row(e.getKey(), cell, slope, fit.size(), split[0], split[1],
                        split[0] > 0 ? split[1] / split[0] : Double.NaN));
                lines.add(new Results.Line(String.format(java.util.Locale.ROOT, "%s (slope %.2f)", e.getKey(), slope),
                        e.getValue().keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
                        e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray()));
            }
            // r-OK against r at the largest n measured for every rank.
            TreeMap<Integer, Double> byRank = new TreeMap<>();
            int n = 128;
            for (Map.Entry<String, TreeMap<Integer, Double>> e : byAlgorithm.entrySet()) {
                if (e.getKey().startsWith("ok:") && e.getValue().containsKey(n)) {
                    byRank.put(Integer.parseInt(e.getKey().substring(3)), e.getValue().get(n));
                }
            }
            if (byRank.size() >= 2) {
                List<double[]> fit = new ArrayList<>();
                byRank.forEach((r, ms) -> fit.add(new double[] {Math.log(r), Math.log(ms)}));
                double slope = slope(fit);
                slopes.put("ok:r at n=" + n + " (slope in r)", slope);
                csv.println(Results.row("ok:r n=" + n, cell, slope, fit.size()));
                results.chart("scaling-rank.png", "r-OK step time against r (" + cell + ", n = " + n + ")", "r",
                        "median ms per step", List.of(new Results.Line(String.format(java.util.Locale.ROOT,
                                "r-OK (slope %.2f)", slope), byRank.keySet().stream().mapToDouble(Integer::doubleValue)
                                .toArray(), byRank.values().stream().mapToDouble(Double::doubleValue).toArray())),
                        true, true);
            }
        }
        results.chart("scaling-n.png", "Step time against hidden size (" + cell + " cell, V = 50)", "n",
                "median ms per step", lines, true, true);
        return slopes;
    }

    static List<Point> parse(Path table) throws IOException {
        List<Point> points = new ArrayList<>();
        for (String line : Files.readAllLines(table)) {
            if (!line.startsWith("| ") || line.startsWith("| algorithm") || line.startsWith("|---")) {
                continue;
            }
            String[] c = line.substring(1).split("\\|");
            if (c.length < 5) {
                continue;
            }
            try {
                points.add(new Point(c[0].strip(), c[1].strip(), Integer.parseInt(c[2].strip()),
                        Double.parseDouble(c[4].strip())));
            } catch (NumberFormatException e) {
                // a row of another table in the same file
            }
        }
        if (points.isEmpty()) {
            throw new IOException("no bench rows in " + table);
        }
        return points;
    }

    /**
     * t(n) ~ a n^3 + b n^2 fitted by least squares in relative error (each point weighted by
     * 1/t, so small n count as much as large n): separates the O(n^2) passes and per-call
     * overheads from the O(n^3) products. Returns {a, b}.
     */
    static double[] cubicPlusQuadratic(Map<Integer, Double> points) {
        double s33 = 0;
        double s32 = 0;
        double s22 = 0;
        double s3t = 0;
        double s2t = 0;
        for (Map.Entry<Integer, Double> e : points.entrySet()) {
            double n = e.getKey();
            double t = e.getValue();
            double x3 = n * n * n / t;
            double x2 = n * n / t;
            s33 += x3 * x3;
            s32 += x3 * x2;
            s22 += x2 * x2;
            s3t += x3;
            s2t += x2;
        }
        double det = s33 * s22 - s32 * s32;
        if (points.size() < 2 || det == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {(s3t * s22 - s2t * s32) / det, (s33 * s2t - s32 * s3t) / det};
    }

    static double slope(List<double[]> xy) {
        double mx = 0;
        double my = 0;
        for (double[] p : xy) {
            mx += p[0] / xy.size();
            my += p[1] / xy.size();
        }
        double sxy = 0;
        double sxx = 0;
        for (double[] p : xy) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        return sxy / sxx;
    }
}
