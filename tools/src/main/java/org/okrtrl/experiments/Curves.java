package org.okrtrl.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading learning curves back from an experiment's curves.csv (algorithm, seed, columns...). */
final class Curves {
    private Curves() {}

    /**
     * One line per run, named by the columns before the x column (algorithm, learning rate,
     * seed, as written), with the chosen x and y columns.
     */
    static List<Results.Line> read(Path csv, String xColumn, String yColumn) throws IOException {
        List<String> rows = Files.readAllLines(csv);
        List<String> header = Arrays.asList(rows.get(0).split(","));
        int x = header.indexOf(xColumn);
        int y = header.indexOf(yColumn);
        if (x < 0 || y < 0) {
            throw new IOException(csv + " has no columns " + xColumn + " and " + yColumn);
        }
        Map<String, List<double[]>> byRun = new LinkedHashMap<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split(",");
            byRun.computeIfAbsent(String.join(" ", Arrays.copyOf(c, Math.max(1, x))), k -> new ArrayList<>())
                    .add(new double[] {Double.parseDouble(c[x]), Double.parseDouble(c[y])});
        }
        List<Results.Line> lines = new ArrayList<>();
        byRun.forEach((name, points) -> lines.add(new Results.Line(name,
                points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray())));
        return lines;
    }
}
