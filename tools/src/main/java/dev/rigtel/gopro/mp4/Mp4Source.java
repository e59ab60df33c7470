package dev.rigtel.gopro.mp4;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An open MP4/MOV file (ISO/IEC 14496-12, QuickTime File Format): reads the top-level box headers and
 * the whole {@code moov}, and afterwards single samples, all with positional reads. The media data
 * ({@code mdat}) is never read except the samples asked for, so a 4 GB clip costs its {@code moov}
 * (a few hundred KB) and its telemetry.
 *
 * <p>Not thread-safe; one per file.
 */
public final class Mp4Source implements Closeable {

    /** A {@code moov} larger than this is no camera file (a 12-minute 4K clip's is under 1 MB). */
    private static final long MAX_MOOV_BYTES = 64L << 20;

    /** Seconds from 1904-01-01 (the MP4 epoch) to 1970-01-01. */
    private static final long EPOCH_1904_SECONDS = 2_082_844_800L;

    private final Path file;
    private final FileChannel channel;
    private final Mp4Movie movie;
    private long bytesRead;

    private Mp4Source(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.movie = readMovie();
    }

    /**
     * Opens {@code file} and reads its {@code moov}.
     *
     * @throws Mp4FormatException if it is no MP4, has no {@code moov} (a recording the camera never
     *     finished), or its boxes do not fit together
     */
    public static Mp4Source open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new Mp4Source(file, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    public Mp4Movie movie() {
        return movie;
    }

    /** Bytes read from the file so far (box headers, {@code moov}, samples). */
    public long bytesRead() {
        return bytesRead;
    }

    /**
     * Reads {@code length} bytes at {@code offset} into {@code into[0, length)}.
     *
     * @throws EOFException if the file ends first (an {@code mdat} cut short)
     */
    public void read(long offset, byte[] into, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into, 0, length);
        long at = offset;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new EOFException(file + ": " + length + " bytes at byte " + offset + " run past the end of the"
                        + " file (" + channel.size() + " bytes)");
            }
            at += n;
            bytesRead += n;
        }
    }

    /** The start frame of a {@code tmcd} track: its first sample, a big-endian 32-bit frame number. */
    public Optional<TimecodeTrack> timecode() throws IOException {
        Optional<Track> track = movie.timecode();
        if (track.isEmpty() || track.get().samples().count() == 0) {
            return Optional.empty();
        }
        Track t = track.get();
        ByteBuffer entry = ByteBuffer.wrap(t.sampleEntry());
        // sample entry: 6 reserved + 2 data reference index, then reserved(4), flags(4), timescale(4),
        // frame duration(4), number of frames(1), reserved(1)
        if (entry.remaining() < 26) {
            throw new Mp4FormatException(file + ": the tmcd sample description is " + entry.remaining() + " bytes");
        }
        int flags = entry.getInt(12);
        long timescale = entry.getInt(16) & 0xffffffffL;
        long frameDuration = entry.getInt(20) & 0xffffffffL;
        int numberOfFrames = entry.get(24) & 0xff;
        if (timescale == 0 || frameDuration == 0) {
            throw new Mp4FormatException(file + ": the tmcd track has a zero timescale or frame duration");
        }
        byte[] sample = new byte[4];
        read(t.samples().offsets()[0], sample, 4);
        long frame = ByteBuffer.wrap(sample).getInt() & 0xffffffffL;
        return Optional.of(new TimecodeTrack(timescale, frameDuration, numberOfFrames, flags, frame));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private Mp4Movie readMovie() throws IOException {
        long size = channel.size();
        List<String> warnings = new ArrayList<>();
        long pos = 0;
        byte[] moov = null;
        boolean first = true;
        ByteBuffer header = ByteBuffer.allocate(16);
        while (pos + 8 <= size) {
            header.clear();
            int got = readAt(header, pos, (int) Math.min(16, size - pos));
            header.flip();
            long boxSize = header.getInt() & 0xffffffffL;
            String type = fourcc(header);
            int headerBytes = 8;
            if (boxSize == 1) {
                if (got < 16) {
                    break;
                }
                boxSize = header.getLong();
                headerBytes = 16;
            } else if (boxSize == 0) {
                boxSize = size - pos;
            }
            if (!printable(type) || boxSize < headerBytes) {
                if (first) {
                    throw new Mp4FormatException(file + " is not an MP4/MOV file (it starts with no box)");
                }
                warnings.add("stopped at a damaged box header at byte " + pos);
                break;
            }
            first = false;
            if (pos + boxSize > size) {
                warnings.add("the " + type + " box at byte " + pos + " claims " + boxSize + " bytes, the file ends "
                        + (pos + boxSize - size) + " bytes earlier (a recording cut short?)");
                if (!type.equals("moov")) {
                    break;
                }
            }
            if (type.equals("moov")) {
                long body = Math.min(boxSize, size - pos) - headerBytes;
                if (body > MAX_MOOV_BYTES) {
                    throw new Mp4FormatException(file + ": a moov of " + body + " bytes is no camera file");
                }
                moov = new byte[(int) body];
                read(pos + headerBytes, moov, moov.length);
                break;
            }
            pos += boxSize;
        }
        if (moov == null) {
            throw new Mp4FormatException(file + " has no moov box: the camera did not finish the recording"
                    + " (GoPro writes the index last)");
        }
        return parseMoov(ByteBuffer.wrap(moov), size, warnings);
    }

    private int readAt(ByteBuffer buffer, long pos, int length) throws IOException {
        buffer.limit(length);
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, pos + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        bytesRead += total;
        return total;
    }

    private Mp4Movie parseMoov(ByteBuffer moov, long fileBytes, List<String> warnings) throws Mp4FormatException {
        long timescale = 0;
        long duration = 0;
        Optional<Instant> created = Optional.empty();
        List<Track> tracks = new ArrayList<>();
        Map<String, byte[]> userData = new LinkedHashMap<>();
        for (Box box : children(moov, 0, moov.limit())) {
            switch (box.type) {
                case "mvhd" -> {
                    int v = moov.get(box.body) & 0xff;
                    int p = box.body + 4;
                    long creation = v == 1 ? moov.getLong(p) : moov.getInt(p) & 0xffffffffL;
                    p += v == 1 ? 16 : 8;
                    timescale = moov.getInt(p) & 0xffffffffL;
                    duration = v == 1 ? moov.getLong(p + 4) : moov.getInt(p + 4) & 0xffffffffL;
                    if (creation != 0) {
                        created = Optional.of(Instant.EPOCH.plus(Duration.ofSeconds(creation - EPOCH_1904_SECONDS)));
                    }
                }
                case "udta" -> {
                    for (Box leaf : children(moov, box.body, box.end)) {
                        userData.putIfAbsent(leaf.type, bytes(moov, leaf.body, leaf.end));
                    }
                }
                case "trak" -> tracks.add(track(moov, box, timescale));
                default -> {
                    // iods, meta, ... carry nothing the telemetry needs
                }
            }
        }
        if (timescale == 0) {
            throw new Mp4FormatException(file + ": the moov has no mvhd, or its timescale is 0");
        }
        return new Mp4Movie(fileBytes, timescale, duration, created, tracks, userData, warnings);
    }

    private Track track(ByteBuffer b, Box trak, long movieTimescale) throws Mp4FormatException {
        int trackId = 0;
        long editOffset = 0;
        List<long[]> edits = new ArrayList<>();
        String handler = "";
        String format = "";
        long timescale = 0;
        long duration = 0;
        byte[] sampleEntry = new byte[0];
        Box stbl = null;
        for (Box box : children(b, trak.body, trak.end)) {
            switch (box.type) {
                case "tkhd" -> {
                    int v = b.get(box.body) & 0xff;
                    trackId = b.getInt(box.body + (v == 1 ? 20 : 12));
                }
                case "edts" -> {
                    for (Box elst : children(b, box.body, box.end)) {
                        if (elst.type.equals("elst")) {
                            int v = b.get(elst.body) & 0xff;
                            int n = b.getInt(elst.body + 4);
                            int p = elst.body + 8;
                            for (int i = 0; i < n && p + (v == 1 ? 20 : 12) <= elst.end; i++) {
                                long segment = v == 1 ? b.getLong(p) : b.getInt(p) & 0xffffffffL;
                                long mediaTime = v == 1 ? b.getLong(p + 8) : b.getInt(p + 4);
                                edits.add(new long[] {segment, mediaTime});
                                p += v == 1 ? 20 : 12;
                            }
                        }
                    }
                }
                case "mdia" -> {
                    for (Box m : children(b, box.body, box.end)) {
                        switch (m.type) {
                            case "mdhd" -> {
                                int v = b.get(m.body) & 0xff;
                                int p = m.body + (v == 1 ? 20 : 12);
                                timescale = b.getInt(p) & 0xffffffffL;
                                duration = v == 1 ? b.getLong(p + 4) : b.getInt(p + 4) & 0xffffffffL;
                            }
                            case "hdlr" -> handler = fourcc(b, m.body + 8);
                            case "minf" -> {
                                for (Box s : children(b, m.body, m.end)) {
                                    if (s.type.equals("stbl")) {
                                        stbl = s;
                                    }
                                }
                            }
                            default -> {}
                        }
                    }
                }
                default -> {}
            }
        }
        // elst as GPMF_mp4reader reads it: an empty edit (media time -1) delays the track; a first edit
        // that starts inside the media moves it earlier.
        for (int i = 0; i < edits.size(); i++) {
            long[] e = edits.get(i);
            if (e[1] == -1) {
                editOffset += e[0];
            } else if (i == 0 && timescale != 0) {
                editOffset -= Math.round((double) e[1] / timescale * movieTimescale);
            }
        }
        SampleTable samples = new SampleTable(new long[0], new int[0], new long[0]);
        if (stbl != null) {
            Box stsd = null;
            Box stts = null;
            Box stsc = null;
            Box stsz = null;
            Box stco = null;
            for (Box s : children(b, stbl.body, stbl.end)) {
                switch (s.type) {
                    case "stsd" -> stsd = s;
                    case "stts" -> stts = s;
                    case "stsc" -> stsc = s;
                    case "stsz" -> stsz = s;
                    case "stco", "co64" -> stco = s;
                    default -> {}
                }
            }
            if (stsd != null && b.getInt(stsd.body + 4) > 0 && stsd.body + 16 <= stsd.end) {
                int entrySize = b.getInt(stsd.body + 8);
                format = fourcc(b, stsd.body + 12);
                int entryEnd = Math.min(stsd.end, stsd.body + 8 + Math.max(8, entrySize));
                sampleEntry = bytes(b, stsd.body + 16, entryEnd);
            }
            samples = sampleTable(b, handler, stts, stsc, stsz, stco);
        }
        return new Track(trackId, handler, format, timescale, duration, editOffset, samples, sampleEntry);
    }

    private SampleTable sampleTable(ByteBuffer b, String handler, Box stts, Box stsc, Box stsz, Box stco)
            throws Mp4FormatException {
        if (stsz == null || stco == null || stsc == null) {
            return new SampleTable(new long[0], new int[0], new long[0]);
        }
        int uniform = b.getInt(stsz.body + 4);
        int count = checkedCount(b.getInt(stsz.body + 8), uniform == 0 ? 4 : 0, stsz, handler);
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = uniform != 0 ? uniform : b.getInt(stsz.body + 12 + 4 * i);
        }
        boolean co64 = stco.type.equals("co64");
        int chunks = checkedCount(b.getInt(stco.body + 4), co64 ? 8 : 4, stco, handler);
        long[] chunkOffsets = new long[chunks];
        for (int i = 0; i < chunks; i++) {
            chunkOffsets[i] = co64 ? b.getLong(stco.body + 8 + 8 * i) : b.getInt(stco.body + 8 + 4 * i) & 0xffffffffL;
        }
        int entries = checkedCount(b.getInt(stsc.body + 4), 12, stsc, handler);
        long[] offsets = new long[count];
        int sample = 0;
        for (int e = 0; e < entries && sample < count; e++) {
            int p = stsc.body + 8 + 12 * e;
            int firstChunk = b.getInt(p);
            int perChunk = b.getInt(p + 4);
            int nextFirst = e + 1 < entries ? b.getInt(p + 12) : chunks + 1;
            if (firstChunk < 1 || nextFirst <= firstChunk || perChunk < 0) {
                throw new Mp4FormatException(file + ": the " + handler + " track's stsc is not in chunk order");
            }
            for (int chunk = firstChunk; chunk < nextFirst && chunk <= chunks && sample < count; chunk++) {
                long offset = chunkOffsets[chunk - 1];
                for (int k = 0; k < perChunk && sample < count; k++) {
                    offsets[sample] = offset;
                    offset += sizes[sample];
                    sample++;
                }
            }
        }
        if (sample < count) {
            throw new Mp4FormatException(
                    file + ": the " + handler + " track's chunks hold " + sample + " of its " + count + " samples");
        }
        long[] durations = new long[count];
        if (stts != null) {
            int n = checkedCount(b.getInt(stts.body + 4), 8, stts, handler);
            int s = 0;
            for (int e = 0; e < n && s < count; e++) {
                long samplesOfEntry = b.getInt(stts.body + 8 + 8 * e) & 0xffffffffL;
                long delta = b.getInt(stts.body + 12 + 8 * e) & 0xffffffffL;
                for (long k = 0; k < samplesOfEntry && s < count; k++) {
                    durations[s++] = delta;
                }
            }
        }
        return new SampleTable(offsets, sizes, durations);
    }

    private int checkedCount(int count, int entryBytes, Box box, String handler) throws Mp4FormatException {
        if (count < 0 || (long) count * entryBytes > box.end - box.body) {
            throw new Mp4FormatException(
                    file + ": the " + handler + " track's " + box.type + " claims " + count + " entries");
        }
        return count;
    }

    /** A box inside the moov buffer: its type, where its body starts and where it ends. */
    private record Box(String type, int body, int end) {}

    /** The boxes in {@code b[start, end)}; a header that does not fit ends the list. */
    private List<Box> children(ByteBuffer b, int start, int end) throws Mp4FormatException {
        List<Box> boxes = new ArrayList<>();
        int pos = start;
        while (pos + 8 <= end) {
            long size = b.getInt(pos) & 0xffffffffL;
            String type = fourcc(b, pos + 4);
            int header = 8;
            if (size == 1) {
                if (pos + 16 > end) {
                    break;
                }
                size = b.getLong(pos + 8);
                header = 16;
            } else if (size == 0) {
                size = end - pos;
            }
            if (size < header || pos + size > end) {
                throw new Mp4FormatException(
                        file + ": the " + type + " box in the moov runs past its parent (" + size + " bytes)");
            }
            boxes.add(new Box(type, pos + header, (int) (pos + size)));
            pos += (int) size;
        }
        return boxes;
    }

    private static byte[] bytes(ByteBuffer b, int start, int end) {
        byte[] out = new byte[Math.max(0, end - start)];
        b.get(start, out);
        return out;
    }

    private static String fourcc(ByteBuffer b, int pos) {
        byte[] four = new byte[4];
        b.get(pos, four);
        return new String(four, StandardCharsets.ISO_8859_1);
    }

    private static String fourcc(ByteBuffer b) {
        byte[] four = new byte[4];
        b.get(four);
        return new String(four, StandardCharsets.ISO_8859_1);
    }

    /** Box types are printable ASCII (and {@code ©} in QuickTime user data). */
    private static boolean printable(String type) {
        for (char c : type.toCharArray()) {
            if ((c < 0x20 || c > 0x7e) && c != 0xa9) {
                return false;
            }
        }
        return true;
    }
}
