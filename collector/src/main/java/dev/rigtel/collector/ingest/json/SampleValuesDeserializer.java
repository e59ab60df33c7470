package dev.rigtel.collector.ingest.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonParserBase;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.PrimitiveArrayDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.Arrays;

/**
 * One sample's values ({@code samples[i]} of a JSON IMU batch) as a {@code double[]}, the same doubles
 * Jackson's own reader gives, for less: a number as firmware prints it, a sign, at most 15 digits and
 * a decimal point ({@code -9.8066}), is read from the token's text as {@code m / 10^k}. Both are exact
 * doubles ({@code m < 10^15 < 2^53}, {@code 10^k} for {@code k <= 22}), so the IEEE division is the
 * correctly rounded value of the text, which is what {@code Double.parseDouble} and Jackson's fast
 * double parser return. Every other token (exponents, more digits, NaN and Infinity, strings, nulls)
 * goes through Jackson's own handling of a {@code double} array element, so its values, refusals and
 * messages (with the element's index) are unchanged; CBOR, whose numbers are binary, is left to
 * Jackson's array reader whole.
 */
final class SampleValuesDeserializer extends StdDeserializer<double[]> {

    private static final long serialVersionUID = 1L;

    private static final int MAX_DIGITS = 15;

    /** 10^k, exact in a double. */
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
    };

    @SuppressWarnings("unchecked")
    private static final JsonDeserializer<double[]> JACKSON =
            (JsonDeserializer<double[]>) PrimitiveArrayDeserializers.forType(Double.TYPE);

    SampleValuesDeserializer() {
        super(double[].class);
    }

    @Override
    public double[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!(p instanceof JsonParserBase) || !p.isExpectedStartArrayToken()) {
            return JACKSON.deserialize(p, ctxt);
        }
        double[] values = new double[6];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            double v;
            if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
                v = number(p);
            } else {
                try {
                    v = _parseDoublePrimitive(p, ctxt);
                } catch (Exception e) {
                    throw JsonMappingException.wrapWithPath(e, values, n);
                }
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        }
        return n == values.length ? values : Arrays.copyOf(values, n);
    }

    /** The number token's value, from its text if it is a plain short decimal. */
    private static double number(JsonParser p) throws IOException {
        char[] text = p.getTextCharacters();
        int at = p.getTextOffset();
        int end = at + p.getTextLength();
        boolean negative = at < end && text[at] == '-';
        if (negative) {
            at++;
        }
        long m = 0;
        int digits = 0;
        int decimals = -1;
        for (; at < end; at++) {
            char c = text[at];
            if (c >= '0' && c <= '9') {
                m = m * 10 + (c - '0');
                digits++;
                if (decimals >= 0) {
                    decimals++;
                }
            } else if (c == '.' && decimals < 0) {
                decimals = 0;
            } else {
                return p.getDoubleValue();
            }
        }
        if (digits == 0 || digits > MAX_DIGITS) {
            return p.getDoubleValue();
        }
        if (decimals < 0) {
            // An integer, as Jackson converts it: -0 is the long 0, so 0.0 (-0.0 only with a point).
            return negative ? (double) -m : (double) m;
        }
        double abs = m / POWERS_OF_TEN[decimals];
        return negative ? -abs : abs;
    }
}
