/**
 * Keeping the shared model's replicas (one per parallel instance) equal: the model-update
 * records published each checkpoint, their checked binary codec, and the replica with its ledger
 * of applied updates that makes application exactly-once across restores and rescaling.
 */
package org.okrtrl.operators.replication;
