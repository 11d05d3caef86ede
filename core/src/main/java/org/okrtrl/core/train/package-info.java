/**
 * Online training: the model (cell and readout parameters), optimisers (SGD, Adam), gradient
 * clipping, the single-stream learners and the shared learner that trains one model from many
 * streams (each stream with its own hidden state and influence factors, one optimiser step per
 * batch of events), full BPTT as the gradient oracle, and evaluation.
 */
package org.okrtrl.core.train;
