/**
 * The readout y_t = link(V h_t + b): softmax with cross-entropy for symbols, identity with squared
 * error for real-valued targets; gives the loss and its gradient with respect to h_t and V.
 */
package org.okrtrl.core.readout;
