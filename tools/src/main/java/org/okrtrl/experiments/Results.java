package org.okrtrl.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Writing an experiment's outputs: its configuration, CSV tables and PNG figures. */
final class Results {
    private static final Color[] PALETTE = {
        new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)
    };

    private final Path dir;

    Results(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    Path dir() {
        return dir;
    }

    void config(Map<String, Object> config) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("config.json").toFile(),
                config);
    }

    /** A CSV file with a header row; values are written with full precision. */
    PrintWriter csv(String name, String... header) throws IOException {
        PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8));
        w.println(String.join(",", header));
        return w;
    }

    static String row(Object... values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object v = values[i];
            sb.append(v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(v));
        }
        return sb.toString();
    }

    /** One named line of a figure. */
    record Line(String name, double[] x, double[] y) {}

    /** A line chart as a PNG (log scales optional). */
    void chart(String file, String title, String xLabel, String yLabel, List<Line> lines, boolean logX, boolean logY)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Line line : lines) {
            XYSeries series = new XYSeries(line.name(), false, true);
            for (int i = 0; i < line.x().length; i++) {
                if (Double.isFinite(line.y()[i]) && (!logY || line.y()[i] > 0)) {
                    series.add(line.x()[i], line.y()[i]);
                }
            }
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
                false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, lines.get(0).x().length <= 12);
        // Lines named "<algorithm> seed <s>" share their algorithm's colour and one legend entry.
        java.util.Map<String, Integer> groups = new java.util.LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String group = lines.get(i).name().replaceAll(" seed \\d+$", "");
            boolean first = !groups.containsKey(group);
            int g = groups.computeIfAbsent(group, k -> groups.size());
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesPaint(i, PALETTE[g % PALETTE.length]);
            renderer.setSeriesVisibleInLegend(i, first);
            if (first && !group.equals(lines.get(i).name())) {
                data.getSeries(i).setKey(group);
            }
        }
        plot.setRenderer(renderer);
        if (logX) {
            plot.setDomainAxis(new LogAxis(xLabel));
        }
        if (logY) {
            plot.setRangeAxis(new LogAxis(yLabel));
        }
        ChartUtils.saveChartAsPNG(dir.resolve(file).toFile(), chart, 900, 560);
    }
}
