package org.okrtrl.job.config;

/** The state backends the job can ask for (the cluster's own when none is given). */
public enum StateBackendChoice {
    HASHMAP,
    ROCKSDB
}
