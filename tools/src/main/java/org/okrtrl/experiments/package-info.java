/**
 * The paper's experiments at this project's sizes: the copy task, character-level language
 * modelling (with a learning-rate grid, prequential bits and compressor baselines), estimator
 * quality against exact RTRL, and the scaling of step time with n.
 */
package org.okrtrl.experiments;
