package org.okrtrl.experiments;

import java.util.Arrays;
import org.okrtrl.core.train.Model;
import org.okrtrl.core.train.SharedModel;
import org.okrtrl.operators.replication.Replica;

/**
 * Synchronous rounds with an outer optimiser, the DiLoCo family (Douillard et al., "DiLoCo:
 * Distributed Low-Communication Training of Language Models", 2023): every replica takes its own
 * inner (Adam) steps from the common parameters; when all P have published their steps of the
 * round, their mean Delta is treated as a negative outer gradient, the outer momentum m = mu m
 * + Delta and the common parameters theta += eta (mu m + Delta) (Nesterov), and every replica
 * continues from the new theta plus whatever steps of its own it took since it published. With
 * eta = 1 and mu = 0 this is the mean rule. A simulator-only rule: a round needs every replica's
 * update, which the job's asynchronous model topic does not wait for.
 *
 * <p>The inner optimiser's moments stay with each replica, as in DiLoCo.
 */
final class OuterNesterov {
    private final double learningRate;
    private final double momentum;
    private final Replica[] replicas;
    private final double[] thetaW;
    private final double[] thetaV;
    private final double[] momentumW;
    private final double[] momentumV;
    private final double[] sumW;
    private final double[] sumV;
    private final double[] deltaW;
    private final double[] deltaV;
    private final double[][] atPublishW;
    private final double[][] atPublishV;
    private final double[][] movesW;
    private final double[][] movesV;
    private final boolean[] arrived;
    private RoundProbe probe;
    private int arrivals;
    private long rounds;

    OuterNesterov(double learningRate, double momentum, Replica[] replicas) {
        if (!(learningRate > 0) || !(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("outer learning rate must be > 0 and momentum in [0, 1)");
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.replicas = replicas;
        Model m = replicas[0].learner().shared().model();
        thetaW = m.w.clone();
        thetaV = m.v.clone();
        momentumW = new double[thetaW.length];
        momentumV = new double[thetaV.length];
        sumW = new double[thetaW.length];
        sumV = new double[thetaV.length];
        deltaW = new double[thetaW.length];
        deltaV = new double[thetaV.length];
        atPublishW = new double[replicas.length][thetaW.length];
        atPublishV = new double[replicas.length][thetaV.length];
        movesW = new double[replicas.length][thetaW.length];
        movesV = new double[replicas.length][thetaV.length];
        arrived = new boolean[replicas.length];
    }

    /** Replica r reached its sync point: its steps join the round, which ends once all have. */
    void publish(int r) {
        if (arrived[r]) {
            throw new IllegalStateException("replica " + r + " reached its next sync point before the round ended");
        }
        SharedModel shared = replicas[r].learner().shared();
        shared.drainLocalUpdate(deltaW, deltaV);
        System.arraycopy(deltaW, 0, movesW[r], 0, deltaW.length);
        System.arraycopy(deltaV, 0, movesV[r], 0, deltaV.length);
        add(sumW, deltaW);
        add(sumV, deltaV);
        System.arraycopy(shared.model().w, 0, atPublishW[r], 0, thetaW.length);
        System.arraycopy(shared.model().v, 0, atPublishV[r], 0, thetaV.length);
        arrived[r] = true;
        if (++arrivals == replicas.length) {
            endRound();
        }
    }

    long rounds() {
        return rounds;
    }

    /** Measures every round from now on, before its outer step (null: none). */
    void setProbe(RoundProbe probe) {
        this.probe = probe;
    }

    private void endRound() {
        if (probe != null) {
            probe.roundEnded(rounds + 1, replicas[0].learner().shared().model(), thetaW, thetaV, movesW, movesV);
        }
        outerStep(thetaW, momentumW, sumW);
        outerStep(thetaV, momentumV, sumV);
        for (int r = 0; r < replicas.length; r++) {
            Model m = replicas[r].learner().shared().model();
            rebase(m.w, thetaW, atPublishW[r]);
            rebase(m.v, thetaV, atPublishV[r]);
        }
        Arrays.fill(sumW, 0.0);
        Arrays.fill(sumV, 0.0);
        Arrays.fill(arrived, false);
        arrivals = 0;
        rounds++;
    }

    private void outerStep(double[] theta, double[] m, double[] sum) {
        double scale = 1.0 / replicas.length;
        for (int i = 0; i < theta.length; i++) {
            double delta = sum[i] * scale;
            m[i] = momentum * m[i] + delta;
            theta[i] += learningRate * (momentum * m[i] + delta);
        }
    }

    /** params = theta + (params - atPublish): the new common point plus the replica's later steps. */
    private static void rebase(double[] params, double[] theta, double[] atPublish) {
        for (int i = 0; i < params.length; i++) {
            params[i] = theta[i] + (params[i] - atPublish[i]);
        }
    }

    private static void add(double[] sum, double[] x) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += x[i];
        }
    }
}
