package org.okrtrl.job.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.util.Collector;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.Model;
import org.okrtrl.operators.KeyState;
import org.okrtrl.operators.OnlineTrainingFunction;

/** Reads each key's learner from a savepoint and renders its model as one JSON document. */
public final class KeyModelReader extends KeyedStateReaderFunction<String, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<KeyState> state;
    private transient ObjectMapper mapper;

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(OnlineTrainingFunction.stateDescriptor());
        mapper = new ObjectMapper();
    }

    @Override
    public void readKey(String key, Context context, Collector<String> out) throws Exception {
        KeyState s = state.value();
        if (s != null) {
            out.collect(mapper.writeValueAsString(render(mapper, key, s)));
        }
    }

    /** The JSON form of one key's model. */
    public static ObjectNode render(ObjectMapper mapper, String key, KeyState s) {
        ObjectNode o = mapper.createObjectNode();
        o.put("key", key);
        LearnerSpec spec = s.spec;
        ObjectNode specNode = o.putObject("spec");
        specNode.put("algorithm", spec.algorithm().toString());
        specNode.put("cell", spec.cell().toString());
        specNode.put("inputs", spec.inputs());
        specNode.put("hidden", spec.hidden());
        specNode.put("outputs", spec.outputs());
        specNode.put("link", spec.link().name().toLowerCase(java.util.Locale.ROOT));
        specNode.put("optimizer", spec.optimizer().toString());
        specNode.put("learning_rate", spec.learningRate());
        specNode.put("adam_beta2", spec.adamBeta2());
        specNode.put("clip", spec.clipNorm());
        specNode.put("update_every", spec.updateEvery());
        specNode.put("carry_bias", spec.carryBias());
        o.put("key_seed", s.keySeed);
        o.put("last_seq", s.lastSeq);
        o.put("records", s.records);
        o.put("steps", s.steps);
        o.put("duplicates", s.duplicates);
        o.put("gaps", s.gaps);
        o.put("model_resets", s.divergenceResets);
        o.put("unknown_symbols", s.unknownSymbols);
        if (Double.isFinite(s.runningBits)) {
            o.put("running_bits", s.runningBits);
        }
        o.put("updates", s.learner.updates());
        Model model = s.learner.model();
        int p = model.cell.affineSize();
        o.set("W", rows(mapper, model.w, p));
        o.set("V", rows(mapper, model.v, model.cell.hiddenSize() + 1));
        return o;
    }

    static ArrayNode rows(ObjectMapper mapper, double[] flat, int cols) {
        ArrayNode rows = mapper.createArrayNode();
        for (int i = 0; i < flat.length / cols; i++) {
            ArrayNode row = rows.addArray();
            for (int j = 0; j < cols; j++) {
                row.add(flat[i * cols + j]);
            }
        }
        return rows;
    }
}
