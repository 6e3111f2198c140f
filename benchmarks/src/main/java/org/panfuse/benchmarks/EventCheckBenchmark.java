package org.panfuse.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What panfuse's per-request flight-recorder hook costs when no recording is
 * running: the dispatcher does exactly {@code if (TYPE.isEnabled()) { new
 * event; begin }} at the start of a request and a null check at its end. The
 * event here mirrors org.panfuse.FuseOperation; the baseline does the same
 * work without the hook.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class EventCheckBenchmark {

    @Name("org.panfuse.bench.OperationStandIn")
    @StackTrace(false)
    static final class OperationStandIn extends Event {
        String operation;
        long inode;
        long bytes;
        int errno;
    }

    private static final EventType TYPE = EventType.getEventType(OperationStandIn.class);

    long inode;
    OperationStandIn pending;

    @Benchmark
    public long withoutHook() {
        return ++inode;
    }

    @Benchmark
    public long withHookRecordingOff() {
        if (TYPE.isEnabled()) {
            pending = new OperationStandIn();
            pending.begin();
        }
        long result = ++inode;
        OperationStandIn e = pending;
        if (e != null) {
            pending = null;
            e.end();
            if (e.shouldCommit()) {
                e.operation = "read";
                e.inode = result;
                e.commit();
            }
        }
        return result;
    }
}
