package dev.rigtel.collector.ingest.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sample values read from the number's text are the doubles Jackson's own reader gives, bit for bit,
 * and whatever Jackson refuses is refused with the same message at the same place.
 */
class SampleValuesDeserializerTest {

    /** The samples as Jackson's own array reader sees them. */
    record PlainSamples(@JsonProperty("samples") double[][] samples) {}

    private final WireMapper wire = WireMapper.create();

    private static byte[] batch(String samples) {
        return ("{\"v\":1,\"samples\":" + samples + "}").getBytes(StandardCharsets.UTF_8);
    }

    private void assertSameAsJackson(String samples) throws Exception {
        double[][] fast = wire.read(batch(samples), ImuBatchJson.class).samples();
        double[][] plain = wire.read(batch(samples), PlainSamples.class).samples();
        assertThat(fast.length).as(samples).isEqualTo(plain.length);
        for (int i = 0; i < plain.length; i++) {
            assertThat(fast[i].length).as(samples).isEqualTo(plain[i].length);
            for (int k = 0; k < plain[i].length; k++) {
                assertThat(Double.doubleToRawLongBits(fast[i][k]))
                        .as("%s [%d][%d]", samples, i, k)
                        .isEqualTo(Double.doubleToRawLongBits(plain[i][k]));
            }
        }
    }

    @Test
    void readsEveryNumberAsJacksonDoes() throws Exception {
        List<String> numbers = new ArrayList<>(List.of(
                "0",
                "-0",
                "0.0",
                "-0.0",
                "1",
                "-1",
                "9.80665",
                "-9.8066",
                "0.001",
                "0.0001",
                "-0.00012",
                "123456789012345",
                "1234567890123456",
                "12345678901234567890",
                "0.123456789012345",
                "0.1234567890123456",
                "9007199254740993",
                "1e3",
                "-1.5E-7",
                "2.5e+2",
                "1.0000000000000000001",
                "999999999999999.9",
                "99999999999999.9",
                "0.30000000000000004",
                "156.9064",
                "-1999.939",
                "NaN",
                "Infinity",
                "-Infinity",
                "1e400",
                "4.9e-324"));
        SplittableRandom random = new SplittableRandom(31);
        for (int i = 0; i < 20_000; i++) {
            int digits = 1 + random.nextInt(18);
            String m = Long.toString(random.nextLong((long) Math.pow(10, digits)));
            int point = random.nextInt(m.length() + 1);
            String text = point == m.length()
                    ? m
                    : (point == 0 || m.charAt(0) == '0' ? "0" : m.substring(0, point)) + "." + m.substring(point);
            numbers.add(random.nextBoolean() ? "-" + text : text);
        }
        for (int from = 0; from < numbers.size(); from += 6) {
            List<String> six = numbers.subList(from, Math.min(from + 6, numbers.size()));
            assertSameAsJackson("[[" + String.join(",", six) + "],[1,2,3,4,5,6]]");
        }
        assertSameAsJackson("[[],[1.5],[1,2,3,4,5,6,7,8,9,10,11,12,13]]");
        assertSameAsJackson("[]");
    }

    @Test
    void refusesWhatJacksonRefusesWithTheSameMessage() {
        for (String samples : List.of(
                "[[1.5,\"2.5\",3,4,5,6]]",
                "[[1.5,null,3,4,5,6]]",
                "[[1.5,2.5,[3],4,5,6]]",
                "[[1.5,2.5,3,{\"x\":1},5,6]]",
                "[[1.5,2.5,3,4,5,true]]",
                "[1.5]",
                "[\"x\"]",
                "{\"a\":1}",
                "[[1,2,3,4,5,6],[7,8,9,10,11,\"12\"]]")) {
            JsonMappingException fast = catchThrowableOfType(
                    () -> wire.read(batch(samples), ImuBatchJson.class), JsonMappingException.class);
            JsonMappingException plain = catchThrowableOfType(
                    () -> wire.read(batch(samples), PlainSamples.class), JsonMappingException.class);
            assertThat(fast).as(samples).isNotNull();
            assertThat(plain).as(samples).isNotNull();
            assertThat(fast.getClass()).as(samples).isEqualTo(plain.getClass());
            assertThat(fast.getOriginalMessage()).as(samples).isEqualTo(plain.getOriginalMessage());
            assertThat(afterRoot(fast.getPathReference())).as(samples).isEqualTo(afterRoot(plain.getPathReference()));
        }
    }

    /** The path from the root's {@code "samples"} on (the root's class name differs). */
    private static String afterRoot(String path) {
        return path.substring(path.indexOf("[\"samples\"]"));
    }
}
