package dev.rigtel.collector.store;

/** One rig's motion rollup of one UTC second ({@code imu_1s}), at the second's start. */
public record RollupPoint(
        String rig,
        long secondStartNanos,
        double accelPeakG,
        double accelRmsG,
        double gyroPeakDps,
        double gyroRmsDps,
        long samples,
        long expectedSamples,
        long gaps) {}
