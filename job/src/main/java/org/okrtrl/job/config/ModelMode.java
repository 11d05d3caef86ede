package org.okrtrl.job.config;

/** Whether all keys learn one shared model or every key its own. */
public enum ModelMode {
    SHARED("shared"),
    PER_KEY("per-key");

    private final String label;

    ModelMode(String label) {
        this.label = label;
    }

    /** Parses shared or per-key; IllegalArgumentException naming the value otherwise. */
    public static ModelMode parse(String name) {
        for (ModelMode m : values()) {
            if (m.label.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("expected shared or per-key, got " + name);
    }

    @Override
    public String toString() {
        return label;
    }
}
