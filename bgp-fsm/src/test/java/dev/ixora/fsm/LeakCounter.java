package dev.ixora.fsm;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the ByteBuf leaks Netty's detector reports (paranoid level, set by surefire). Must be
 * installed before the first ByteBuf class is loaded in the JVM; bgp-fsm's surefire runs each test
 * class in a fresh JVM, and {@link #assertInstalled()} fails loudly otherwise.
 */
final class LeakCounter {
    static final AtomicInteger LEAKS = new AtomicInteger();
    private static final AtomicInteger DETECTORS = new AtomicInteger();

    private LeakCounter() {}

    static void install() {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                    long maxActive) {
                if (io.netty.buffer.ByteBuf.class.isAssignableFrom(resource)) DETECTORS.incrementAndGet();
                return new ResourceLeakDetector<T>(resource, samplingInterval) {
                    @Override
                    protected void reportTracedLeak(String resourceType, String records) {
                        LEAKS.incrementAndGet();
                        super.reportTracedLeak(resourceType, records);
                    }

                    @Override
                    protected void reportUntracedLeak(String resourceType) {
                        LEAKS.incrementAndGet();
                        super.reportUntracedLeak(resourceType);
                    }
                };
            }
        });
    }

    static void assertInstalled() {
        if (DETECTORS.get() == 0) throw new AssertionError("leak counter installed too late: no ByteBuf detector created through it");
    }

    /** Runs GC and allocates so that the detector polls its queue; returns the leak count. */
    static int collect() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            for (int j = 0; j < 100; j++) io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
        }
        return LEAKS.get();
    }
}
