package dev.rigtel.gopro.gpmf;

import java.util.List;
import java.util.OptionalLong;

/**
 * One stream's samples in one payload ({@code DEVC > STRM > data}), decoded.
 *
 * @param deviceId the device's {@code DVID} ({@code "1"} for the camera itself, or a FourCC)
 * @param deviceName the device's {@code DVNM}, or empty
 * @param fourcc the data's key, e.g. {@code ACCL}
 * @param streamName the stream's {@code STNM}, or empty
 * @param units {@code SIUN} (or else {@code UNIT}): one for every axis, or a single one for all, or none
 * @param typeCodes the value type of each element of one sample, e.g. {@code "sss"} or {@code "lllllllSS"}
 * @param samples samples in this payload for timing: the repeat count, or the number of instances
 *     where the key repeats in the stream (as {@code GPMF_PayloadSampleCount})
 * @param axes values per sample in {@code values}
 * @param values {@code samples * axes} values, row-major, divided by {@code SCAL} and mapped by {@code
 *     MTRX} or {@code ORIN}/{@code ORIO} as {@code GPMF_ScaledData}; NaN for text, FourCC, GUID and
 *     date elements; empty when the samples could not be decoded (see the warnings)
 * @param totalSamples {@code TSMP}: samples of this stream since the recording started, this payload's
 *     included
 * @param timestampMicros {@code STMP}: the first sample's time in microseconds, where the camera writes
 *     it
 * @param temperatureC {@code TMPC}, or NaN
 * @param timeOffsetSeconds {@code TIMO}, or 0
 * @param fullScale the largest magnitude the raw integer type can hold, scaled (the sensor clips
 *     there), or NaN if not known
 */
public record StreamBlock(
        String deviceId,
        String deviceName,
        String fourcc,
        String streamName,
        List<String> units,
        String typeCodes,
        int samples,
        int axes,
        double[] values,
        OptionalLong totalSamples,
        OptionalLong timestampMicros,
        double temperatureC,
        double timeOffsetSeconds,
        double fullScale) {

    public StreamBlock {
        units = List.copyOf(units);
    }
}
