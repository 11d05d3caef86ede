package org.okrtrl.core.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.CellType;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.Model;

/**
 * An exported model, self-contained: the cell and its sizes, the readout, the parameters, the
 * vocabulary of a symbol model, and the settings it was trained with, under a format name and
 * version. One JSON file ({@code model.json}) that this class, the job ({@code --initial-model})
 * and {@code scripts/score.py} all read:
 *
 * <pre>
 * {"format": "okrtrl-model", "version": 1, "cell": "rhn", "inputs": 96, "hidden": 64, "outputs": 96,
 *  "link": "softmax", "vocabulary": {"symbols": ["a", ...], "unknown": 95},
 *  "settings": {"algo": "ok:8", ...}, "W": {"rows": 128, "cols": 161, "values": [...]},
 *  "V": {"rows": 96, "cols": 65, "values": [...]}}
 * </pre>
 *
 * W is g n x (m + n + 1) row-major, its columns ordered [x ; h_{t-1} ; 1] (docs/ALGORITHMS.md);
 * V is o x (n + 1), the last column the bias. Doubles are written in their shortest exact
 * decimal form, so a model read back is the model written, bit for bit.
 *
 * @param symbols the vocabulary in index order (null for a real-valued model)
 * @param unknownSymbol the index unknown symbols map to (-1: none)
 * @param settings the options the model was trained with, as strings
 */
public record ModelFile(CellType cell, int inputs, int hidden, int outputs, Readout.Link link, List<String> symbols,
        int unknownSymbol, Map<String, String> settings, double[] w, double[] v) {

    /** The format name every model file carries. */
    public static final String FORMAT = "okrtrl-model";

    /** The version this code writes and reads. */
    public static final int VERSION = 1;

    public ModelFile {
        int blocks = cell == CellType.RHN ? 2 : 1;
        if (w.length != blocks * hidden * (inputs + hidden + 1)) {
            throw new IllegalArgumentException("W has " + w.length + " values; a " + cell + " cell with " + inputs
                    + " inputs and " + hidden + " hidden units has " + blocks * hidden * (inputs + hidden + 1));
        }
        if (v.length != outputs * (hidden + 1)) {
            throw new IllegalArgumentException("V has " + v.length + " values, expected " + outputs * (hidden + 1));
        }
        if (symbols != null && (symbols.size() != inputs || symbols.size() != outputs)) {
            throw new IllegalArgumentException("a vocabulary of " + symbols.size() + " symbols for " + inputs
                    + " inputs and " + outputs + " outputs");
        }
        symbols = symbols == null ? null : List.copyOf(symbols);
        settings = Map.copyOf(settings);
    }

    /** The file of a trained model (its parameters are copied). */
    public static ModelFile of(Model model, CellType cell, List<String> symbols, int unknownSymbol,
            Map<String, String> settings) {
        return new ModelFile(cell, model.cell.inputSize(), model.hiddenSize(), model.readout.outputSize(),
                model.readout.link(), symbols, unknownSymbol, settings, model.w.clone(), model.v.clone());
    }

    /** A model with this file's parameters (the cell's initial carry bias does not matter once trained). */
    public Model toModel() {
        Cell c = cell.create(inputs, hidden, 0.0);
        Model model = new Model(c, new Readout(link, hidden, outputs));
        System.arraycopy(w, 0, model.w, 0, w.length);
        System.arraycopy(v, 0, model.v, 0, v.length);
        return model;
    }

    public void write(Path file) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("version", VERSION);
        o.addProperty("cell", cell.toString());
        o.addProperty("inputs", inputs);
        o.addProperty("hidden", hidden);
        o.addProperty("outputs", outputs);
        o.addProperty("link", link.name().toLowerCase(java.util.Locale.ROOT));
        if (symbols != null) {
            JsonObject vocabulary = new JsonObject();
            JsonArray list = new JsonArray();
            symbols.forEach(list::add);
            vocabulary.add("symbols", list);
            vocabulary.addProperty("unknown", unknownSymbol);
            o.add("vocabulary", vocabulary);
        }
        JsonObject s = new JsonObject();
        new java.util.TreeMap<>(settings).forEach(s::addProperty);
        o.add("settings", s);
        int blocks = cell == CellType.RHN ? 2 : 1;
        o.add("W", matrix(blocks * hidden, inputs + hidden + 1, w));
        o.add("V", matrix(outputs, hidden + 1, v));
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            gson.toJson(o, out);
        }
    }

    private static JsonObject matrix(int rows, int cols, double[] values) {
        JsonObject m = new JsonObject();
        m.addProperty("rows", rows);
        m.addProperty("cols", cols);
        JsonArray a = new JsonArray(values.length);
        for (double d : values) {
            a.add(d);
        }
        m.add("values", a);
        return m;
    }

    /** Reads a model file; IOException naming what is wrong with one that is not a model of this format. */
    public static ModelFile read(Path file) throws IOException {
        JsonObject o;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(in);
            if (!root.isJsonObject()) {
                throw new IOException(file + ": not a model file (not a JSON object)");
            }
            o = root.getAsJsonObject();
        } catch (com.google.gson.JsonParseException e) {
            throw new IOException(file + ": not JSON: " + e.getMessage(), e);
        }
        try {
            if (!o.has("format") || !FORMAT.equals(o.get("format").getAsString())) {
                throw new IOException(file + ": not an " + FORMAT + " file");
            }
            int version = o.get("version").getAsInt();
            if (version != VERSION) {
                throw new IOException(file + ": model format version " + version + ", this code reads " + VERSION);
            }
            List<String> symbols = null;
            int unknown = -1;
            if (o.has("vocabulary") && !o.get("vocabulary").isJsonNull()) {
                JsonObject vocabulary = o.getAsJsonObject("vocabulary");
                symbols = new ArrayList<>();
                for (JsonElement e : vocabulary.getAsJsonArray("symbols")) {
                    symbols.add(e.getAsString());
                }
                unknown = vocabulary.get("unknown").getAsInt();
            }
            Map<String, String> settings = new LinkedHashMap<>();
            if (o.has("settings")) {
                o.getAsJsonObject("settings").entrySet().forEach(e -> settings.put(e.getKey(), e.getValue().getAsString()));
            }
            return new ModelFile(CellType.parse(o.get("cell").getAsString()), o.get("inputs").getAsInt(),
                    o.get("hidden").getAsInt(), o.get("outputs").getAsInt(),
                    Readout.Link.valueOf(o.get("link").getAsString().toUpperCase(java.util.Locale.ROOT)), symbols,
                    unknown, settings, values(o, "W"), values(o, "V"));
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a valid model file: " + e.getMessage(), e);
        }
    }

    private static double[] values(JsonObject o, String name) {
        JsonArray a = o.getAsJsonObject(name).getAsJsonArray("values");
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }
}
