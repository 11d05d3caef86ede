/** The job's options: declared once, read from the command line and Flink's configuration. */
package org.okrtrl.job.config;
