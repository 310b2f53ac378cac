/**
 * Compacted Kafka topics read from the beginning into memory and followed live: the generic reader, follower and
 * table that the license registry, the policies, the machines and the admin tokens stand on
 * (docs/architecture.md).
 */
package io.tlswatch.validator.table;
