/**
 * Reading trained models back out of a savepoint or retained checkpoint with Flink's State
 * Processor API: the shared model's replicas (checked against each other and the model topic)
 * or each key's own model, written as JSON.
 */
package org.okrtrl.job.export;
