/**
 * Commands from the collector to a rig, in plain Java: validation ({@link
 * dev.rigtel.collector.commands.CommandArgs}), the wire form on {@code rigtel/v1/{rig}/command},
 * the rig's answers on {@code rigtel/v1/{rig}/command/result}, expiry, and the history in InfluxDB
 * ({@link dev.rigtel.collector.commands.CommandLog}). firmware-notes/commands.md is the contract;
 * its examples are the ones the tests load. Nothing here imports {@code io.netty}: the composition
 * root hands {@link dev.rigtel.collector.commands.RigCommands} a {@link
 * dev.rigtel.collector.commands.CommandOutlet} that publishes through the broker.
 */
package dev.rigtel.collector.commands;
