package dev.rigtel.collector.testing;

import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.MotionTracker;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.live.LiveOutlet;
import dev.rigtel.collector.live.LiveTopics;
import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.store.InfluxWrites;
import dev.rigtel.collector.store.WriteBuffer;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.timecode.DeviceClocks;
import java.time.Clock;
import java.time.ZoneId;

/**
 * An {@link IngestService} wired as the composition root wires it: its points to the write port
 * over {@code buffer}, its motion and its live topics on {@code live}.
 */
public final class TestIngest {

    private TestIngest() {}

    /** Without live topics ({@link LiveOutlet#NONE}). */
    public static IngestService create(
            PayloadDecoder decoder,
            DeviceClocks clocks,
            TakeHistory takes,
            MotionConfig motionConfig,
            ZoneId zone,
            WriteBuffer buffer,
            IngestMeters meters,
            Clock clock) {
        return create(decoder, clocks, takes, motionConfig, zone, buffer, meters, clock, LiveOutlet.NONE);
    }

    public static IngestService create(
            PayloadDecoder decoder,
            DeviceClocks clocks,
            TakeHistory takes,
            MotionConfig motionConfig,
            ZoneId zone,
            WriteBuffer buffer,
            IngestMeters meters,
            Clock clock,
            LiveOutlet live) {
        LiveTopics topics = new LiveTopics(live, decoder.wire(), takes.live(), clock);
        return new IngestService(
                decoder,
                clocks,
                takes,
                new MotionTracker(motionConfig, takes.live(), topics),
                topics,
                zone,
                new InfluxWrites(buffer),
                meters,
                clock);
    }
}
