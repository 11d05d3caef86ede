/**
 * The streaming job: its configuration (flags, Flink configuration keys okrtrl.*) and the
 * pipeline Kafka -> parse -> keyed training -> predictions, dead letters and model updates.
 */
package org.okrtrl.job;
