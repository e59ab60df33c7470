package dev.rigtel.collector.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * W_f against the reference: ISO 2631-1:1997 Table 3, W_f column (weighting factors x 1000 in
 * one-third-octave bands). The table's factors are the Annex A function evaluated at the nominal band
 * frequencies (they agree with it there within 0.02 dB, and differ by up to 0.2 dB at 10^(band/10)).
 */
class WfWeightingTest {

    private static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }

    @ParameterizedTest(name = "{0} Hz: {1}")
    @CsvSource({
        "0.02, 24.2",
        "0.04, 97.1",
        "0.063, 267",
        "0.08, 461",
        "0.1, 695",
        "0.125, 895",
        "0.16, 1006",
        "0.2, 992",
        "0.25, 854",
        "0.315, 619",
        "0.4, 384",
        "0.5, 224",
        "0.63, 116",
        "0.8, 53.0",
        "1.0, 23.5",
        "2.0, 1.55"
    })
    void matchesTheStandardsTableWithinATenthOfADecibel(double f, double factorX1000) {
        double reference = factorX1000 / 1000;

        assertThat(db(WfWeighting.magnitude(f) / reference)).isCloseTo(0, offset(0.1));
        assertThat(db(new WfWeighting(1000).digitalMagnitude(f) / reference)).isCloseTo(0, offset(0.1));
        assertThat(db(new WfWeighting(200).digitalMagnitude(f) / reference)).isCloseTo(0, offset(0.1));
    }

    @ParameterizedTest
    @ValueSource(doubles = {100, 200, 1000})
    void weighsASinusoidByItsMagnitudeInTheMsdv(double rateHz) {
        // 0.2 Hz, 1 m/s^2 peak for T = 600 s: MSDV = |W_f(0.2)| / sqrt(2) * sqrt(T).
        WfWeighting wf = new WfWeighting(rateHz);
        double seconds = 600;
        int n = (int) (seconds * rateHz);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double y = wf.apply(Math.sin(2 * Math.PI * 0.2 * i / rateHz));
            sum += y * y;
        }
        double msdv = Math.sqrt(sum / rateHz);

        assertThat(msdv).isCloseTo(WfWeighting.magnitude(0.2) / Math.sqrt(2) * Math.sqrt(seconds), withinPercentage(1));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 200.0})
    void theTakeSummaryGivesTheMsdvOfAVerticalSinusoid(double nominalRateHz) {
        double seconds = 600;
        ImuSim.Stream s = new ImuSim()
                .rateHz(200)
                .tilt(1, 0.5, 0, 30)
                .run(
                        (t, w, lin) -> {
                            w[0] = w[1] = w[2] = 0;
                            lin[0] = lin[1] = 0;
                            lin[2] = Math.sin(2 * Math.PI * 0.2 * t);
                        },
                        seconds);
        TakeSummarizer summarizer = new TakeSummarizer(MotionConfig.defaults().withNominalSampleRateHz(nominalRateHz));
        s.feed(summarizer);
        TakeSummary summary = summarizer.finish();

        double expected = WfWeighting.magnitude(0.2) / Math.sqrt(2) * Math.sqrt(seconds);
        assertThat(summary.msdvMps15()).isCloseTo(expected, withinPercentage(2));
        assertThat(summary.weightedRmsMps2()).isCloseTo(WfWeighting.magnitude(0.2) / Math.sqrt(2), withinPercentage(2));
    }
}
