/**
 * The Flink side of training: parsing records into steps (with dead letters for anything
 * unusable), the per-key rules (duplicates, gaps, resets), the keyed training operators (one
 * model per key, or one shared model with per-key streams) with their named state and
 * serializers, predictions and metrics.
 */
package org.okrtrl.operators;
