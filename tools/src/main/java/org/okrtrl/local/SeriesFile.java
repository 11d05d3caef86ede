package org.okrtrl.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A numeric time series from a CSV file (a header, one row per time step), as the local pipeline
 * streams it: every row becomes one real-valued step whose x holds the input columns (all
 * numeric columns unless named) plus calendar features of the date column, if there is one,
 * and whose y is the target column's value at that step.
 *
 * <p>Calendar features are sin and cos of the day of the week and of the day of the year, and,
 * when the dates carry a time of day that varies, of the hour of the day: smooth, bounded, and
 * the same for every series. A column is numeric when every cell that is not a missing value
 * (empty, NA, NaN, null, ...) is a number. Rows whose used cells are missing or not numbers are
 * skipped and counted; the steps after them continue with the next sequence number but one, so the job
 * sees the gap.
 */
public final class SeriesFile {
    /** The series: input names, x per row, y per row, the row's sequence number, and what was skipped. */
    public record Series(List<String> inputNames, String target, double[][] x, double[] y, long[] seq,
            int skippedRows, String dateColumn) {
        public int rows() {
            return y.length;
        }
    }

    private SeriesFile() {}

    /**
     * Reads file. inputs null: every numeric column (the target included); dateColumn null:
     * the first column whose first value parses as an ISO date or date-time, if any.
     *
     * @throws IllegalArgumentException naming the problem (unknown column, no numeric rows)
     */
    public static Series read(Path file, String target, List<String> inputs, String dateColumn, boolean calendar)
            throws IOException {
        List<String> header;
        List<CSVRecord> records;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                        .setIgnoreSurroundingSpaces(true).setTrim(true).get().parse(reader)) {
            header = parser.getHeaderNames();
            records = parser.getRecords();
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException(file + " has a header but no rows");
        }
        require(header.contains(target), "--target " + target + ": no such column (columns: " + header + ")");
        String date = dateColumn != null ? dateColumn : detectDateColumn(header, records.get(0));
        require(date == null || header.contains(date), "--date-column " + date + ": no such column");
        List<String> used = new ArrayList<>();
        if (inputs != null && !inputs.isEmpty()) {
            for (String name : inputs) {
                require(header.contains(name), "--inputs " + name + ": no such column (columns: " + header + ")");
                used.add(name);
            }
        } else {
            for (String name : header) {
                if (!name.equals(date) && numeric(records, name)) {
                    used.add(name);
                }
            }
        }
        require(!used.isEmpty(), "no numeric input column in " + header);
        boolean hours = calendar && date != null && hasTimeOfDay(records, date);
        List<String> names = new ArrayList<>(used);
        if (calendar && date != null) {
            names.addAll(List.of("day_of_week_sin", "day_of_week_cos", "day_of_year_sin", "day_of_year_cos"));
            if (hours) {
                names.addAll(List.of("hour_sin", "hour_cos"));
            }
        }
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        int skipped = 0;
        for (int row = 0; row < records.size(); row++) {
            CSVRecord r = records.get(row);
            double[] x = new double[names.size()];
            boolean ok = true;
            for (int i = 0; i < used.size() && ok; i++) {
                double v = parse(r, used.get(i));
                ok = Double.isFinite(v);
                x[i] = v;
            }
            double y = parse(r, target);
            ok &= Double.isFinite(y);
            if (ok && calendar && date != null) {
                LocalDateTime when = dateTime(r.isMapped(date) ? r.get(date) : "");
                ok = when != null;
                if (ok) {
                    calendarFeatures(when, hours, x, used.size());
                }
            }
            if (!ok) {
                skipped++;
                continue;
            }
            xs.add(x);
            ys.add(y);
            seqs.add((long) row);
        }
        require(!xs.isEmpty(), "no row of " + file + " has numbers in every used column");
        return new Series(List.copyOf(names), target, xs.toArray(new double[0][]),
                ys.stream().mapToDouble(Double::doubleValue).toArray(), seqs.stream().mapToLong(Long::longValue).toArray(),
                skipped, calendar ? date : null);
    }

    private static void calendarFeatures(LocalDateTime when, boolean hours, double[] x, int at) {
        double week = 2 * Math.PI * (when.getDayOfWeek().getValue() - 1) / 7.0;
        double year = 2 * Math.PI * (when.getDayOfYear() - 1) / 365.25;
        x[at] = Math.sin(week);
        x[at + 1] = Math.cos(week);
        x[at + 2] = Math.sin(year);
        x[at + 3] = Math.cos(year);
        if (hours) {
            double hour = 2 * Math.PI * (when.getHour() + when.getMinute() / 60.0) / 24.0;
            x[at + 4] = Math.sin(hour);
            x[at + 5] = Math.cos(hour);
        }
    }

    private static String detectDateColumn(List<String> header, CSVRecord first) {
        for (String name : header) {
            if (dateTime(first.get(name)) != null) {
                return name;
            }
        }
        return null;
    }

    private static boolean hasTimeOfDay(List<CSVRecord> records, String date) {
        LocalDateTime first = null;
        for (CSVRecord r : records) {
            LocalDateTime t = dateTime(r.isMapped(date) ? r.get(date) : "");
            if (t == null) {
                continue;
            }
            if (first == null) {
                first = t;
            } else if (!t.toLocalTime().equals(first.toLocalTime())) {
                return true;
            }
        }
        return false;
    }

    /** An ISO date ("2012-01-31") or date-time ("2012-01-31T13:00:00", or with a space), else null. */
    static LocalDateTime dateTime(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay();
            }
            return LocalDateTime.parse(s.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean numeric(List<CSVRecord> records, String column) {
        int seen = 0;
        for (CSVRecord r : records) {
            String s = r.isMapped(column) ? r.get(column) : "";
            if (missing(s)) {
                continue;
            }
            if (!Double.isFinite(parseNumber(s))) {
                return false;
            }
            if (++seen >= 100) {
                break;
            }
        }
        return seen > 0;
    }

    /** The usual spellings of a missing value in exported data. */
    private static boolean missing(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "", "na", "nan", "n/a", "null", "none", "-", "?" -> true;
            default -> false;
        };
    }

    private static double parse(CSVRecord r, String column) {
        return r.isMapped(column) && r.isSet(column) ? parseNumber(r.get(column)) : Double.NaN;
    }

    private static double parseNumber(String s) {
        try {
            return s.isEmpty() ? Double.NaN : Double.parseDouble(s.toLowerCase(Locale.ROOT).contains("n") ? "x" : s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
