/**
 * Machines shared by every validator replica: the compacted topic {@code tlswatch.machines.v1} followed by each
 * replica ({@link io.tlswatch.validator.machine.MachineRegistry}) and folded, per license in offset order, into a
 * {@link io.tlswatch.validator.machine.MachineLedger} that says who holds the slots; the machine step of checks,
 * activations, heartbeats and deactivations ({@link io.tlswatch.validator.machine.SharedMachines}); and the culler.
 * Described in docs/licenses.md, "Machines".
 */
package io.tlswatch.validator.machine;
