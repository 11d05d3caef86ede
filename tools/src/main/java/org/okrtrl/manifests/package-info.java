/**
 * Offline validation of the Kubernetes manifests: custom resources against their CRD schemas,
 * core objects against the Kubernetes API model, Flink configuration keys against Flink's own
 * options, and yamllint.
 */
package org.okrtrl.manifests;
