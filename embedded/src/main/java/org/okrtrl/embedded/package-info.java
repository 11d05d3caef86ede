/** A real Kafka broker in this JVM and free ports: for local runs and integration tests, never the job jar. */
package org.okrtrl.embedded;
