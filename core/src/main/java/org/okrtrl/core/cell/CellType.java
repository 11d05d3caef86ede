package org.okrtrl.core.cell;

/** The recurrent cells users can choose: {@code rnn} (Elman tanh) and {@code rhn} (highway). */
public enum CellType {
    RNN("rnn"),
    RHN("rhn");

    private final String label;

    CellType(String label) {
        this.label = label;
    }

    /** Parses rnn or rhn; IllegalArgumentException naming the value otherwise. */
    public static CellType parse(String name) {
        for (CellType t : values()) {
            if (t.label.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("cell must be rnn or rhn, got " + name);
    }

    /** A cell of this type (carryBias: the highway cell's initial carry-gate bias). */
    public Cell create(int inputs, int hidden, double carryBias) {
        return this == RHN ? new HighwayCell(inputs, hidden, carryBias) : new TanhCell(inputs, hidden);
    }

    @Override
    public String toString() {
        return label;
    }
}
