package io.reactivewatch.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.scheduler.clock.SchedulerClock;

class WallClockSchedulerTest {

    @Test
    void nowCountsFromTheEpochInEveryUnit() {
        Scheduler delegate = Schedulers.newSingle("wall-clock-test");
        try {
            WallClockScheduler s = new WallClockScheduler(delegate);
            Instant viaClock = SchedulerClock.of(s).instant();
            assertThat(Duration.between(viaClock, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
            long millis = s.now(TimeUnit.MILLISECONDS);
            assertThat(Math.abs(millis - System.currentTimeMillis())).isLessThan(60_000);
            assertThat(s.now(TimeUnit.NANOSECONDS) / 1_000_000).isBetween(millis - 1000, millis + 60_000);
        } finally {
            delegate.dispose();
        }
    }

    @Test
    void nowNeverGoesBackwards() {
        WallClockScheduler s = new WallClockScheduler(Schedulers.immediate());
        long previous = s.now(TimeUnit.NANOSECONDS);
        for (int i = 0; i < 10_000; i++) {
            long next = s.now(TimeUnit.NANOSECONDS);
            assertThat(next).isGreaterThanOrEqualTo(previous);
            previous = next;
        }
    }

    @Test
    void tasksRunOnTheDelegate() throws InterruptedException {
        Scheduler delegate = Schedulers.newSingle("wall-clock-delegate");
        try {
            WallClockScheduler s = new WallClockScheduler(delegate);
            CountDownLatch ran = new CountDownLatch(2);
            String[] thread = new String[1];
            s.schedule(() -> {
                thread[0] = Thread.currentThread().getName();
                ran.countDown();
            });
            s.schedule(ran::countDown, 10, TimeUnit.MILLISECONDS);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(thread[0]).startsWith("wall-clock-delegate");
            s.dispose();
            assertThat(delegate.isDisposed()).isTrue();
        } finally {
            delegate.dispose();
        }
    }
}
