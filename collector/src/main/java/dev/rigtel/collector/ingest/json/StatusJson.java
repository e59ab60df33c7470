package dev.rigtel.collector.ingest.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Wire form of a rig status report on {@code rigtel/v1/{rig}/status}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusJson(
        @JsonProperty("v") Integer version,
        @JsonProperty("seq") Long seq,
        @JsonProperty("boot") String boot,
        @JsonProperty("t_us") Long deviceMicros,
        @JsonProperty("battery_pct") Double batteryPercent,
        @JsonProperty("battery_v") Double batteryVolts,
        @JsonProperty("temp_c") Double temperatureCelsius,
        @JsonProperty("wifi_rssi_dbm") Integer wifiRssiDbm,
        @JsonProperty("recording") Boolean recording,
        @JsonProperty("imu_rate_hz") Double imuRateHz,
        @JsonProperty("accel_range_g") Integer accelRangeG,
        @JsonProperty("gyro_range_dps") Integer gyroRangeDps,
        @JsonProperty("fw") String firmware) {}
