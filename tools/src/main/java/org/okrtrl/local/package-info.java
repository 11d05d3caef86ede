/**
 * Running everything on one machine with real components: an in-process KRaft Kafka broker,
 * the local pipeline on a MiniCluster, a real standalone Flink cluster, and the soak test.
 */
package org.okrtrl.local;
