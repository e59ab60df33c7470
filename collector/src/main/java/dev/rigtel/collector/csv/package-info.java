/**
 * CSV fields shared by every CSV the collector writes. Plain Java, no dependencies: {@code api} and
 * {@code motion.export} both use it, and neither depends on the other for it.
 */
package dev.rigtel.collector.csv;
