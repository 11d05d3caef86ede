package org.okrtrl.operators.replication;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The part of its own published steps a replica gives up under a merge weight w &lt; 1, kept in its
 * parameters until the other replicas' steps of the same time have arrived ({@link Replica#publish}).
 *
 * <p>Each published update leaves (1 - w) times its steps here, cut into one slice per peer (the
 * other P - 1 instances of the same epoch). A peer's slice is taken back when an update of that
 * peer published at or after this update's time is applied: from then on the peer's own steps
 * of that time are in the parameters, and the slice that stood in for them goes. So a replica's
 * view never lacks its peers' recent steps, however late each peer's updates arrive (a slow
 * peer keeps its slices held longer, a prompt one releases its own early), and once every update
 * has arrived the parameters are those of the linear rule. At most {@link #MAX_PARTS} updates are
 * held; beyond that (a peer idle or cut off) the oldest is taken back whole, which bounds the
 * memory and the error of standing in for a peer that takes no steps. Times are the publishers'
 * wall clocks: a peer whose clock runs behind keeps slices held longer (never more than
 * {@link #MAX_PARTS} publications), one ahead releases them early; synchronised clocks differ by
 * milliseconds, far less than the exchange's delay.
 */
final class HeldBackSteps {
    /** The most published updates whose parts are held (copies of the parameters kept). */
    static final int MAX_PARTS = 16;

    private final int subtask;
    private final int replicas;
    private final ArrayDeque<Part> parts = new ArrayDeque<>();
    private boolean enabled = true;

    /** One update's held part: a slice per peer still to take back. */
    private static final class Part {
        final long seq;
        final long millis;
        final double[] sliceW;
        final double[] sliceV;
        final boolean[] released;
        int remaining;

        Part(long seq, long millis, double[] sliceW, double[] sliceV, int subtask, int replicas) {
            this.seq = seq;
            this.millis = millis;
            this.sliceW = sliceW;
            this.sliceV = sliceV;
            this.released = new boolean[replicas];
            this.released[subtask] = true;
            this.remaining = replicas - 1;
        }
    }

    /** For instance {@code subtask} of {@code replicas}. */
    HeldBackSteps(int subtask, int replicas) {
        if (replicas < 1 || subtask < 0 || subtask >= replicas) {
            throw new IllegalArgumentException("subtask " + subtask + " of " + replicas + " replicas");
        }
        this.subtask = subtask;
        this.replicas = replicas;
    }

    /**
     * Holds back partW and partV ((1 - w) times the steps of own update seq, published at millis;
     * modified: cut into slices), or takes them out of the parameters (modified) at once when
     * holding is off or there is no peer.
     */
    void hold(long seq, long millis, double[] partW, double[] partV, double[] paramsW, double[] paramsV) {
        if (!enabled || replicas == 1) {
            subtract(paramsW, partW, 1.0);
            subtract(paramsV, partV, 1.0);
            return;
        }
        double perPeer = 1.0 / (replicas - 1);
        scale(partW, perPeer);
        scale(partV, perPeer);
        parts.addLast(new Part(seq, millis, partW, partV, subtask, replicas));
        if (parts.size() > MAX_PARTS) {
            takeBackWhole(parts.removeFirst(), paramsW, paramsV);
        }
    }

    /**
     * Peer {@code peer}'s steps up to {@code millis} are now in the parameters (modified): its
     * slices of every update held from then or earlier are taken back.
     */
    void peerArrived(int peer, long millis, double[] paramsW, double[] paramsV) {
        if (peer < 0 || peer >= replicas || peer == subtask) {
            return;
        }
        Iterator<Part> it = parts.iterator();
        while (it.hasNext()) {
            Part p = it.next();
            if (p.millis > millis) {
                break;
            }
            if (!p.released[peer]) {
                p.released[peer] = true;
                p.remaining--;
                subtract(paramsW, p.sliceW, 1.0);
                subtract(paramsV, p.sliceV, 1.0);
            }
            if (p.remaining == 0) {
                it.remove();
            }
        }
    }

    /** Whether parts are held (true) or taken back at publication; false also takes back all held now. */
    void setEnabled(boolean hold, double[] paramsW, double[] paramsV) {
        if (!hold) {
            while (!parts.isEmpty()) {
                takeBackWhole(parts.removeFirst(), paramsW, paramsV);
            }
        }
        this.enabled = hold;
    }

    int size() {
        return parts.size();
    }

    /** The held updates: count, then per update its sequence number and what remains held of W and V. */
    void write(DataOutputStream out) throws IOException {
        out.writeInt(parts.size());
        for (Part p : parts) {
            out.writeLong(p.seq);
            writeScaled(out, p.sliceW, p.remaining);
            writeScaled(out, p.sliceV, p.remaining);
        }
    }

    private static void writeScaled(DataOutputStream out, double[] slice, int times) throws IOException {
        out.writeInt(slice.length);
        for (double d : slice) {
            out.writeDouble(d * times);
        }
    }

    private static void takeBackWhole(Part p, double[] paramsW, double[] paramsV) {
        subtract(paramsW, p.sliceW, p.remaining);
        subtract(paramsV, p.sliceV, p.remaining);
    }

    static void subtract(double[] from, double[] part, double times) {
        for (int i = 0; i < from.length; i++) {
            from[i] -= times * part[i];
        }
    }

    private static void scale(double[] a, double factor) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= factor;
        }
    }
}
