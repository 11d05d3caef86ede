package org.okrtrl.job.export;

import java.util.ArrayList;
import java.util.List;
import org.okrtrl.core.model.ModelFile;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.Model;
import org.okrtrl.job.config.JobConfig;
import org.okrtrl.operators.Vocabulary;

/** The self-contained model file ({@link ModelFile}) of a job's model: its parameters with the job's vocabulary and settings. */
public final class ModelFiles {
    private ModelFiles() {}

    /**
     * The model file of parameters w and v trained by a job with config (validated).
     *
     * @throws IllegalArgumentException if the shapes are not the config's, or the vocabulary
     *     hashes symbols (a hashed vocabulary has no symbol list to export)
     */
    public static ModelFile of(JobConfig config, double[] w, double[] v) {
        LearnerSpec spec = config.learnerSpec();
        Model model = spec.createShared(config.seed, 1, false).shared().model();
        if (w.length != model.w.length || v.length != model.v.length) {
            throw new IllegalArgumentException("parameters of " + w.length + " + " + v.length + " values do not fit "
                    + spec.cell() + " n=" + spec.hidden() + " with " + spec.inputs() + " inputs and " + spec.outputs()
                    + " outputs");
        }
        System.arraycopy(w, 0, model.w, 0, w.length);
        System.arraycopy(v, 0, model.v, 0, v.length);
        Vocabulary vocabulary = config.vocabularyOrNull();
        List<String> symbols = null;
        int unknown = -1;
        if (vocabulary != null) {
            if (vocabulary.spec().startsWith("hash:")) {
                throw new IllegalArgumentException("a hashed vocabulary (" + vocabulary.spec() + ") has no symbol list "
                        + "to export");
            }
            symbols = new ArrayList<>();
            for (int i = 0; i < vocabulary.size(); i++) {
                symbols.add(vocabulary.symbol(i));
            }
            unknown = symbols.indexOf(Vocabulary.UNKNOWN);
        }
        return ModelFile.of(model, spec.cell(), symbols, unknown, config.asMap());
    }

}
