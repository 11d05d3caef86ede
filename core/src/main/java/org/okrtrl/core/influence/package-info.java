/**
 * Estimators of the influence matrix G_t = dh_t/dW carried forward online: exact RTRL (n^4 per
 * step, the oracle), the optimal Kronecker-sum approximation r-OK (Benzing et al., ICML 2019),
 * KF-RTRL (Mujika et al., 2018) and UORO (Tallec and Ollivier, 2018). Each keeps its state in
 * arrays owned by the stream, so one estimator instance serves many streams.
 */
package org.okrtrl.core.influence;
