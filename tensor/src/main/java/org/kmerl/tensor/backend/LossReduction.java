package org.kmerl.tensor.backend;

/**
 * How a loss is reduced to a scalar. For cross entropy and BCE: the mean or the sum over elements.
 * For the CLIP loss, each direction (ECG-to-text rows, text-to-ECG columns) is always a mean over the
 * batch, and MEAN averages the two directions while SUM adds them (MERL's choice).
 */
public enum LossReduction { MEAN, SUM }
