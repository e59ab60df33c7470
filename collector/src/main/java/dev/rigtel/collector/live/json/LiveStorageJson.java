package dev.rigtel.collector.live.json;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The disks of the shoot on {@code rigtel/v1/live/storage} and {@code GET /api/storage}
 * (firmware-notes/live-topics.md): bytes used, free, and InfluxDB's forecast on the shoot's last
 * day; -1 where unknown. {@code level} is {@code ok}, {@code warning} (a disk would fill before the
 * last day) or {@code critical} (within two days, or under 1 GiB free).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LiveStorageJson(
        int v,
        String time,
        long influxBytes,
        long rawBytes,
        long influxFreeBytes,
        long spoolBytes,
        long spoolFreeBytes,
        String firstDay,
        int shootDay,
        int shootDays,
        long forecastBytes,
        String level,
        String message) {}
