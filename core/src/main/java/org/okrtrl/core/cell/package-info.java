/**
 * Recurrent cells h_t = f(h_{t-1}, x_t; W): the Elman tanh cell and the recurrent highway cell,
 * each giving the two Jacobians RTRL needs (with respect to the previous state and to the
 * parameters, the latter in Kronecker form, docs/ALGORITHMS.md sections 2-3) through a
 * {@link org.okrtrl.core.cell.StepTrace} of the forward step.
 */
package org.okrtrl.core.cell;
