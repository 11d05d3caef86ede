/**
 * The command-line tool {@code bin/okrtrl} (picocli): local pipeline, Kafka and cluster helpers,
 * benchmarks, gradient checks, experiments, soak, model export and manifest validation.
 */
package org.okrtrl.cli;
