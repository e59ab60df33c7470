package dev.rigtel.collector.ingest;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** A rig's status report; every measurement is optional on the wire. */
public record RigStatus(
        RigId rig,
        String boot,
        long seq,
        long deviceNanos,
        OptionalDouble batteryPercent,
        OptionalDouble batteryVolts,
        OptionalDouble temperatureCelsius,
        OptionalInt wifiRssiDbm,
        Optional<Boolean> recording,
        OptionalDouble imuRateHz,
        OptionalInt accelRangeG,
        OptionalInt gyroRangeDps,
        Optional<String> firmware) {}
