package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-memory store meets the read contract; and what it does of the line protocol itself. */
class MemoryStoreTest extends StoreReadsContract {

    private MemoryStore store;

    @BeforeEach
    void freshStore() {
        store = new MemoryStore();
    }

    @Override
    protected PointSink sink() {
        return store;
    }

    @Override
    protected StoreReads reads() {
        return store;
    }

    @Test
    void countsAPointOnceHoweverOftenItIsWritten() throws SinkException {
        store.write("imu,rig=a ax=1 10\nimu,rig=a ax=2 10\nimu,rig=b ax=2 10\n", 3);
        store.write("imu,rig=a ay=3 10\n", 1);

        assertThat(store.points()).isEqualTo(2);
    }

    @Test
    void refusesLinesItCannotParseAsInfluxDbWould() {
        assertThatThrownBy(() -> store.write("imu,rig=a ax=1 notatime\n", 1))
                .isInstanceOf(SinkException.class)
                .satisfies(e -> assertThat(((SinkException) e).retryable()).isFalse());
    }
}
