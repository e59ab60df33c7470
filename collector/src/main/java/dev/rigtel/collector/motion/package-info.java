/**
 * Plain-Java motion analysis of one rig's IMU stream: gyro bias at rest, a Madgwick orientation
 * filter, the yaw rate about the gravity vertical, per-second rollups and the events a stunt review
 * needs (impacts with a HIC15 screening value, head turns and whip pans, sensor clipping, dropouts),
 * plus per-take and per-wearer summaries with the ISO 2631-1 motion sickness dose.
 *
 * <p>Thresholds, formulas and their sources are in {@code DOMAIN.md} sections 3 and 4 and on
 * {@link dev.rigtel.collector.motion.MotionConfig}. Everything here is single-threaded per rig and
 * allocation-free per sample in the steady state; only events and rollups allocate.
 */
package dev.rigtel.collector.motion;
