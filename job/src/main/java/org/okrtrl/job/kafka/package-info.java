/**
 * Kafka sources and sinks of the job (exactly-once transactional sinks by default) and the
 * record (de)serializers of input, predictions, dead letters and model updates.
 */
package org.okrtrl.job.kafka;
