package dev.rigtel.collector.store;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** One status report of a rig, at the production time of its device time; a field left empty is not stored. */
public record StatusPoint(
        String rig,
        long seq,
        String boot,
        OptionalDouble batteryPercent,
        OptionalDouble batteryVolts,
        OptionalDouble temperatureCelsius,
        OptionalInt wifiRssiDbm,
        Optional<Boolean> recording,
        OptionalDouble imuRateHz,
        OptionalInt accelRangeG,
        OptionalInt gyroRangeDps,
        Optional<String> firmware,
        long timeNanos) {}
