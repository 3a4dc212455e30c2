/**
 * K-MERL on top of kmerl's autograd: ECG data readers and the synthetic generator, knowledge mining
 * from reports, the lead-aware ECG encoder with its cardiac query network, pretraining and
 * evaluation. Each part is its own issue (see the README's roadmap); this module only wires the
 * build so far.
 */
package org.kmerl.model;
