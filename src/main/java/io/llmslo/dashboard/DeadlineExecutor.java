package io.llmslo.dashboard;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dashboard's worker pool, with a deadline on every exchange.
 *
 * <p>The JDK's HTTP server reads a request's line and headers on the worker thread, with a
 * blocking read and no timeout: four clients that open a connection, send half a request and go
 * quiet would hold all four workers forever. Each task here gets a deadline; when it passes, the
 * worker is interrupted, which closes the connection's channel (an {@code InterruptibleChannel})
 * and frees the thread. Idle keep-alive connections never hold a worker: the server parks them
 * on its selector between requests.
 */
final class DeadlineExecutor implements Executor, AutoCloseable {

    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final long deadlineMillis;

    DeadlineExecutor(int threads, Duration deadline, String name) {
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> daemon(r, name + "-" + n.incrementAndGet()));
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> daemon(r, name + "-deadline"));
        t.setRemoveOnCancelPolicy(true); // a cancelled deadline must not stay queued for its whole delay
        this.timer = t;
        this.deadlineMillis = deadline.toMillis();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void execute(Runnable exchange) {
        workers.execute(() -> {
            Thread worker = Thread.currentThread();
            Object lock = new Object();
            boolean[] done = {false};
            ScheduledFuture<?> deadline = timer.schedule(() -> {
                synchronized (lock) {
                    if (!done[0]) {
                        worker.interrupt();
                    }
                }
            }, deadlineMillis, TimeUnit.MILLISECONDS);
            try {
                exchange.run();
            } finally {
                synchronized (lock) {
                    done[0] = true;
                }
                deadline.cancel(false);
                Thread.interrupted(); // a late interrupt must not leak into the next exchange
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
