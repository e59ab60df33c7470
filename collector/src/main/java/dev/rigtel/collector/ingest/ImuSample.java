package dev.rigtel.collector.ingest;

/** One IMU sample: accelerometer in m/s^2 (gravity included), gyroscope in deg/s, sensor frame. */
public record ImuSample(
        long deviceNanos,
        double accelXMps2,
        double accelYMps2,
        double accelZMps2,
        double gyroXDps,
        double gyroYDps,
        double gyroZDps) {}
