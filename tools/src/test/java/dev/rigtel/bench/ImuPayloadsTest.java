package dev.rigtel.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigtel.collector.ingest.ImuBatch;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.simulator.PayloadEncoding;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ImuPayloadsTest {

    private static final RigId RIG = new RigId("rig-00001");
    private final PayloadDecoder decoder = new PayloadDecoder(WireMapper.create(), 4000);
    private final BatchSequence sequence = BatchSequence.at(5_000_000, 1000, 20);

    @ParameterizedTest
    @EnumSource(PayloadEncoding.class)
    void patchedPayloadsDecodeToTheirSeqBootAndDeviceTimes(PayloadEncoding encoding) throws Exception {
        ImuPayloads payloads = ImuPayloads.create(encoding, sequence);

        for (long seq : new long[] {1, 2, 9, 1_000_000, 123_456_789_012L}) {
            ImuBatch batch = decoder.imu(RIG, payloads.payload("9f3a61c2", seq, sequence.firstSampleMicros(seq)));

            assertThat(batch.seq()).isEqualTo(seq);
            assertThat(batch.boot()).isEqualTo("9f3a61c2");
            assertThat(batch.sampleCount()).isEqualTo(20);
            assertThat(batch.deviceNanos()[0]).isEqualTo(sequence.firstSampleMicros(seq) * 1000);
            assertThat(batch.lastDeviceNanos()).isEqualTo(sequence.lastSampleNanos(seq));
        }
    }

    @ParameterizedTest
    @EnumSource(PayloadEncoding.class)
    void consecutiveBatchesMoveDeviceTimeForwardSoNoneIsRefusedOrOverwritten(PayloadEncoding encoding)
            throws Exception {
        ImuPayloads payloads = ImuPayloads.create(encoding, sequence);
        Set<Long> sampleTimes = new HashSet<>();
        long previousLast = -1;

        for (long seq = 1; seq <= 200; seq++) {
            ImuBatch batch = decoder.imu(RIG, payloads.payload("b0000001", seq, sequence.firstSampleMicros(seq)));

            // firmware-notes: a batch whose first sample is not after the previous one's last is refused.
            assertThat(batch.deviceNanos()[0]).isGreaterThan(previousLast);
            previousLast = batch.lastDeviceNanos();
            for (long t : batch.deviceNanos()) {
                assertThat(sampleTimes.add(t))
                        .as("sample time %d used twice", t)
                        .isTrue();
            }
        }
        assertThat(sampleTimes).hasSize(200 * 20);
    }

    @ParameterizedTest
    @EnumSource(PayloadEncoding.class)
    void samplesAreTheBlocksValuesAndBlocksRotateWithSeq(PayloadEncoding encoding) throws Exception {
        ImuPayloads payloads = ImuPayloads.create(encoding, sequence);
        assertThat(payloads.blockCount()).isEqualTo(50); // one second at 1 kHz in 20-sample blocks

        ImuBatch seq3 = decoder.imu(RIG, payloads.payload("b0000001", 3, 100));
        ImuBatch seq53 = decoder.imu(RIG, payloads.payload("b0000001", 53, 200));
        ImuBatch seq4 = decoder.imu(RIG, payloads.payload("b0000001", 4, 300));

        assertThat(seq3.values()).isEqualTo(payloads.values(3));
        assertThat(seq53.values()).isEqualTo(seq3.values());
        assertThat(seq4.values()).isNotEqualTo(seq3.values());
        // A rig at rest: gravity (9.81 m/s^2) is on the y axis.
        assertThat(seq3.sample(0).accelYMps2()).isBetween(7.0, 12.5);
    }

    @ParameterizedTest
    @EnumSource(PayloadEncoding.class)
    void seqIsReadBackFromTheFixedOffset(PayloadEncoding encoding) {
        ImuPayloads payloads = ImuPayloads.create(encoding, sequence);

        assertThat(payloads.seqOf(payloads.payload("b0000001", 1, 0))).isEqualTo(1);
        assertThat(payloads.seqOf(payloads.payload("b0000001", 987_654_321, 5))).isEqualTo(987_654_321);
        assertThat(payloads.seqOf("{\"v\":1}".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(-1);
    }

    @ParameterizedTest
    @EnumSource(PayloadEncoding.class)
    void aRigsHeaderIsPatchedInPlaceAndKeepsItsLength(PayloadEncoding encoding) {
        ImuPayloads payloads = ImuPayloads.create(encoding, sequence);
        byte[] header = payloads.header("abcdef12");
        int length = header.length;

        payloads.patch(header, 99_999, 12_345_678);
        payloads.patch(header, 7, 1);

        assertThat(header).hasSize(length);
        byte[] whole = new byte[header.length + payloads.block(7).length];
        System.arraycopy(header, 0, whole, 0, header.length);
        System.arraycopy(payloads.block(7), 0, whole, header.length, payloads.block(7).length);
        assertThat(whole).isEqualTo(payloads.payload("abcdef12", 7, 1));
    }

    @ParameterizedTest
    @EnumSource(PayloadEncoding.class)
    void refusesBootIdsThatDoNotFitTheHeader(PayloadEncoding encoding) {
        ImuPayloads payloads = ImuPayloads.create(encoding, sequence);

        assertThatThrownBy(() -> payloads.header("short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> payloads.header("with\"quo")).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void packedSamplesCostTheLeastOnTheWireAndTwelveBytesEachInThePayload() {
        String topic = "rigtel/v1/rig-00001/imu";
        ImuPayloads json = ImuPayloads.create(PayloadEncoding.JSON, sequence);
        ImuPayloads cbor = ImuPayloads.create(PayloadEncoding.CBOR, sequence);
        ImuPayloads packed = ImuPayloads.create(PayloadEncoding.PACKED, sequence);

        assertThat(packed.wireBytesPerSample(topic)).isLessThan(cbor.wireBytesPerSample(topic));
        assertThat(packed.wireBytesPerSample(topic)).isLessThan(json.wireBytesPerSample(topic));
        // 12 bytes of counts a sample, plus the header (about 200 bytes) shared by 20 samples.
        assertThat(packed.payloadBytesPerSample()).isBetween(12.0, 25.0);
        // MQTT and TCP/IP add a fixed cost per batch: more than 40 bytes, spread over 20 samples.
        assertThat(packed.wireBytesPerSample(topic) - packed.payloadBytesPerSample())
                .isBetween((40 + 2 + 23 + 2 + 2) / 20.0, (40 * 2 + 5 + 23 + 4) / 20.0);
    }
}
