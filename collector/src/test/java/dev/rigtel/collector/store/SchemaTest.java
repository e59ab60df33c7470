package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchemaTest {

    private static final double[] VALUES = {0, 0, 0.12, 9.81, 0.3, 1.5, -0.4, 12.0};

    @Test
    void writesAnImuPointWithTheRigTagSixFloatsAndTheDeviceTime() {
        StringBuilder out = new StringBuilder();

        Schema.imu(out, "rig-07", 1_763_781_807_000_000_000L, VALUES, 2, 73_012_000_000L);

        assertThat(out)
                .hasToString("imu,rig=rig-07 ax=0.12,ay=9.81,az=0.3,gx=1.5,gy=-0.4,gz=12,dev_ns=73012000000i"
                        + " 1763781807000000000\n");
    }

    @Test
    void aPrefixMadeOnceGivesTheSamePointsAndEscapesTheRigOnce() {
        String rig = "rig 7,a=b";
        StringBuilder each = new StringBuilder();
        StringBuilder prefixed = new StringBuilder();
        String prefix = Schema.imuPrefix(rig);

        for (int i = 0; i < 3; i++) {
            Schema.imu(each, rig, 1000 + i, VALUES, 2, 7 + i);
            Schema.imuPoint(prefixed, prefix, 1000 + i, VALUES, 2, 7 + i);
        }

        assertThat(prefix).isEqualTo("imu,rig=rig\\ 7\\,a\\=b ax=");
        assertThat(prefixed).hasToString(each.toString());
    }
}
