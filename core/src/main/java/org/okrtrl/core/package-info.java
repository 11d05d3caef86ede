/**
 * The learning core: recurrent cells, readouts, influence estimators (exact RTRL, r-OK, KF-RTRL,
 * UORO), truncated BPTT and the online learners, following docs/ALGORITHMS.md. Depends on
 * nothing from Flink, Kafka or Jackson (enforced by an ArchUnit test), so it can be read, tested
 * and benchmarked alone. {@link org.okrtrl.core.train.Algorithms} parses the algorithm names.
 */
package org.okrtrl.core;
