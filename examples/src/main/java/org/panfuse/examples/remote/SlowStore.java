package org.panfuse.examples.remote;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stand-in for a remote key-value store: every read answers after a delay
 * (a network round trip), and changes made by others arrive as events. The
 * example filesystem knows it only through this class.
 */
public final class SlowStore implements AutoCloseable {
    private final Map<String, byte[]> values = new ConcurrentHashMap<>();
    private final ScheduledExecutorService network = Executors.newScheduledThreadPool(2,
            r -> Thread.ofPlatform().daemon().name("slow-store").unstarted(r));
    private final long delayMillis;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private volatile Consumer<String> listener = key -> { };

    /** A store whose reads each take {@code delayMillis}. */
    public SlowStore(long delayMillis) {
        this.delayMillis = delayMillis;
    }

    /** The value of {@code key}, later; null when there is none. */
    public CompletableFuture<byte[]> get(String key) {
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        network.schedule(() -> {
            inFlight.decrementAndGet();
            answer.complete(values.get(key));
        }, delayMillis, TimeUnit.MILLISECONDS);
        return answer;
    }

    /** The keys there are now (a listing is cheap in this store: no delay). */
    public java.util.Set<String> keys() {
        return java.util.Set.copyOf(values.keySet());
    }

    /** Someone else sets {@code key}: the listener hears of it. */
    public void put(String key, byte[] value) {
        values.put(key, value);
        listener.accept(key);
    }

    /** Someone else sets {@code key} and the event is lost: nobody hears of it. */
    public void putUnheard(String key, byte[] value) {
        values.put(key, value);
    }

    /** Someone else removes {@code key}: the listener hears of it. */
    public void remove(String key) {
        values.remove(key);
        listener.accept(key);
    }

    /** Who hears of changes (one listener). */
    public void onChange(Consumer<String> l) {
        this.listener = l;
    }

    /** The most reads that were waiting at once. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    @Override
    public void close() {
        network.shutdownNow();
    }
}
