package dev.rigtel.collector.ingest.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;

/**
 * The one Jackson {@link ObjectMapper} of a process, and the CBOR parser factory it reads the
 * binary encoding with. JSON and CBOR share the DTOs and every rule: no coercion of strings to
 * numbers, no floats where an integer is required, bounded nesting and lengths.
 */
public final class WireMapper {

    private static final int MAX_NESTING = 8;

    private final ObjectMapper mapper;
    private final CBORFactory cbor;

    private WireMapper(ObjectMapper mapper, CBORFactory cbor) {
        this.mapper = mapper;
        this.cbor = cbor;
    }

    public static WireMapper create() {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING)
                .maxStringLength(64 * 1024)
                .maxNumberLength(64)
                .build();
        ObjectMapper mapper = JsonMapper.builder()
                // NaN and Infinity are read so that validation can reject them with the reason
                // not-finite (as in CBOR, which carries them natively) instead of "malformed".
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                // Jackson's bundled FastDoubleParser, correctly rounded like Double.parseDouble: JSON
                // IMU batches are mostly floats, and FloatingDecimal was the hottest decoding frame.
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                // And its Schubfach writer: the shortest text that reads back as the same double (as
                // Double.toString from JDK 19 on), for the live topics' numbers (the trace of every
                // batch), where FloatingDecimal was a twentieth of an event loop's samples.
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        mapper.getFactory().setStreamReadConstraints(limits);
        CBORFactory cbor = new CBORFactory();
        cbor.setStreamReadConstraints(limits);
        cbor.setCodec(mapper);
        return new WireMapper(mapper, cbor);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Reads a JSON or CBOR payload, told apart by the first non-blank byte ('{' means JSON). */
    public <T> T read(byte[] payload, Class<T> type) throws IOException {
        if (isJson(payload)) {
            return mapper.readerFor(type).readValue(payload);
        }
        try (JsonParser parser = cbor.createParser(payload)) {
            return mapper.readerFor(type)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readValue(parser);
        }
    }

    public byte[] writeJson(Object value) throws IOException {
        return mapper.writeValueAsBytes(value);
    }

    public byte[] writeCbor(Object value) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
        try (var generator = cbor.createGenerator(out)) {
            mapper.writeValue(generator, value);
        }
        return out.toByteArray();
    }

    static boolean isJson(byte[] payload) {
        for (byte b : payload) {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                continue;
            }
            return b == '{';
        }
        return false;
    }
}
