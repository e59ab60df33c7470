package dev.rigtel.gopro.mp4;

/**
 * Where each sample of a track is and how long it lasts, from {@code stsz}, {@code stco}/{@code co64},
 * {@code stsc} and {@code stts}.
 *
 * @param offsets file offset of each sample
 * @param sizes bytes of each sample
 * @param durations duration of each sample in the track's media timescale
 */
public record SampleTable(long[] offsets, int[] sizes, long[] durations) {

    public SampleTable {
        if (offsets.length != sizes.length || durations.length != sizes.length) {
            throw new IllegalArgumentException("offsets, sizes and durations differ in length");
        }
    }

    public int count() {
        return sizes.length;
    }

    /** The sum of the durations, in the media timescale. */
    public long totalDuration() {
        long total = 0;
        for (long d : durations) {
            total += d;
        }
        return total;
    }
}
