package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PageBufferPoolTest {
    private static final int KB = 1024;

    @Test
    void aReleasedBufferServesTheNextRequestOfUpToItsSize() {
        PageBufferPool pool = new PageBufferPool(1 << 20, false);
        ByteBuffer first = pool.allocate(100 * KB);
        assertThat(first.position()).isZero();
        assertThat(first.remaining()).isEqualTo(100 * KB);
        first.put(new byte[100 * KB]);
        pool.release(first);

        ByteBuffer second = pool.allocate(90 * KB);
        assertThat(second.array()).isSameAs(first.array());
        assertThat(second.position()).isZero();
        assertThat(second.remaining()).as("the buffer's limit is the size asked for").isEqualTo(90 * KB);
        assertThat(pool.reused()).isEqualTo(1);
    }

    @Test
    void aBufferMuchLargerThanTheRequestIsNotTaken() {
        PageBufferPool pool = new PageBufferPool(1 << 20, false);
        ByteBuffer large = pool.allocate(200 * KB);
        pool.release(large);
        assertThat(pool.allocate(100 * KB).array()).isNotSameAs(large.array());
        assertThat(pool.allocate(180 * KB).array()).isSameAs(large.array());
    }

    @Test
    void aSecondReleaseOrAForeignBufferIsIgnored() {
        PageBufferPool pool = new PageBufferPool(1 << 20, false);
        ByteBuffer buffer = pool.allocate(64 * KB);
        pool.release(buffer);
        pool.release(buffer);
        pool.release(ByteBuffer.allocate(64 * KB));
        ByteBuffer a = pool.allocate(64 * KB);
        ByteBuffer b = pool.allocate(64 * KB);
        assertThat(a.array()).isSameAs(buffer.array());
        assertThat(b.array()).as("never handed out twice").isNotSameAs(buffer.array());
        assertThat(pool.handedOutBytes()).isEqualTo(128L * KB);
    }

    @Test
    void idleBuffersAreKeptUpToTheLimitAndSmallOnesNotAtAll() {
        PageBufferPool pool = new PageBufferPool(100 * KB, false);
        ByteBuffer kept = pool.allocate(64 * KB);
        ByteBuffer dropped = pool.allocate(64 * KB);
        pool.release(kept);
        pool.release(dropped);
        assertThat(pool.allocate(64 * KB).array()).isSameAs(kept.array());
        assertThat(pool.allocate(64 * KB).array()).isNotSameAs(dropped.array());

        ByteBuffer small = pool.allocate(PageBufferPool.MIN_POOLED_BYTES - 1);
        pool.release(small);
        assertThat(pool.allocate(PageBufferPool.MIN_POOLED_BYTES - 1).array()).isNotSameAs(small.array());
    }

    @Test
    void poisoningOverwritesWhatIsReleased() {
        PageBufferPool pool = new PageBufferPool(1 << 20, true);
        ByteBuffer buffer = pool.allocate(32 * KB);
        buffer.put(0, (byte) 1);
        pool.release(buffer);
        assertThat(buffer.array()[0]).isEqualTo((byte) 0xA5);
    }
}
