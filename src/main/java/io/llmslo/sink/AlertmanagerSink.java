package io.llmslo.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmslo.slo.AlertNotice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Alert transitions to Alertmanager (API v2), off the job's thread: {@link #write} only updates
 * the open-alert set ({@link AlertmanagerAlerts}) and queues the alert; one sender thread posts
 * batches with bounded retries, and re-sends the firing alerts every {@code resend_interval}.
 * A full queue or an Alertmanager that stays down drops alerts, counted in the
 * {@code alertmanager.dropped} metric, and never blocks processing or checkpoints.
 *
 * <p>The firing set is writer state (a checkpoint holds it as JSON), so a restored job keeps
 * re-sending the alerts it had open. Run it with parallelism 1: alerts are rare, and one writer
 * owns every alert's open/resolve order.
 */
public final class AlertmanagerSink implements Sink<AlertNotice>, SupportsWriterState<AlertNotice, String> {

    private final AlertmanagerSettings settings;
    private final String job;

    public AlertmanagerSink(AlertmanagerSettings settings, String job) {
        this.settings = settings;
        this.job = job;
    }

    @Override
    public Writer createWriter(WriterInitContext context) {
        return new Writer(settings, job, context.metricGroup(), List.of());
    }

    @Override
    public Writer restoreWriter(WriterInitContext context, Collection<String> state) {
        return new Writer(settings, job, context.metricGroup(), state);
    }

    @Override
    public SimpleVersionedSerializer<String> getWriterStateSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(String s) {
                return s.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String deserialize(int version, byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
    }

    /** Writer state: one JSON array of the firing alerts. */
    public static final class Writer implements StatefulSinkWriter<AlertNotice, String> {

        private static final ObjectMapper JSON = new ObjectMapper();
        private static final int BATCH = 100;

        private final AlertmanagerSettings settings;
        private final AlertmanagerAlerts alerts;
        private final AlertmanagerClient client;
        private final BlockingQueue<ObjectNode> queue;
        private final ScheduledExecutorService threads;
        private final Counter sent;
        private final Counter dropped;
        private volatile boolean closing;

        Writer(AlertmanagerSettings settings, String job, MetricGroup metrics, Collection<String> state) {
            this.settings = settings;
            this.alerts = new AlertmanagerAlerts(job, settings.dashboardUrl(), settings.resendInterval().toMillis());
            this.client = new AlertmanagerClient(settings);
            this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
            MetricGroup g = metrics.addGroup("alertmanager");
            this.sent = g.counter("sent");
            this.dropped = g.counter("dropped");
            g.gauge("firing", this::firing);
            g.gauge("queued", queue::size);
            for (String s : state) {
                List<ObjectNode> restored = new ArrayList<>();
                try {
                    JSON.readTree(s).forEach(n -> restored.add((ObjectNode) n));
                } catch (IOException e) {
                    throw new IllegalStateException("unreadable Alertmanager writer state", e);
                }
                synchronized (alerts) {
                    alerts.restore(restored);
                }
            }
            this.threads = Executors.newScheduledThreadPool(2, r -> {
                Thread t = new Thread(r, "alertmanager-sender");
                t.setDaemon(true);
                return t;
            });
            long resend = settings.resendInterval().toMillis();
            threads.scheduleWithFixedDelay(this::resend, resend, resend, TimeUnit.MILLISECONDS);
            threads.execute(this::sendLoop);
        }

        private int firing() {
            synchronized (alerts) {
                return alerts.firingCount();
            }
        }

        @Override
        public void write(AlertNotice notice, Context context) {
            ObjectNode a;
            synchronized (alerts) {
                a = alerts.onTransition(notice, System.currentTimeMillis());
            }
            enqueue(a);
        }

        private void enqueue(ObjectNode a) {
            if (!queue.offer(a)) {
                dropped.inc();
            }
        }

        private void resend() {
            List<ObjectNode> firing;
            synchronized (alerts) {
                firing = alerts.resend(System.currentTimeMillis());
            }
            firing.forEach(this::enqueue);
        }

        private void sendLoop() {
            List<ObjectNode> batch = new ArrayList<>();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    ObjectNode first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (closing) {
                            return;
                        }
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    send(batch);
                    batch.clear();
                } catch (InterruptedException e) {
                    dropped.inc(batch.size());
                    return;
                }
            }
        }

        /** Later entries of one alert supersede earlier ones (firing then resolved: only resolved). */
        private void send(List<ObjectNode> batch) throws InterruptedException {
            Map<String, ObjectNode> latest = new LinkedHashMap<>();
            for (ObjectNode a : batch) {
                latest.remove(a.get("labels").toString());
                latest.put(a.get("labels").toString(), a);
            }
            ArrayNode body = JSON.createArrayNode();
            latest.values().forEach(body::add);
            if (client.post(body.toString())) {
                sent.inc(latest.size());
            } else {
                dropped.inc(latest.size());
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            // never wait for Alertmanager on a checkpoint; the queue drains on its own thread
        }

        @Override
        public List<String> snapshotState(long checkpointId) {
            ArrayNode a = JSON.createArrayNode();
            synchronized (alerts) {
                alerts.firing().forEach(a::add);
            }
            return List.of(a.toString());
        }

        @Override
        public void close() throws InterruptedException {
            // end of a bounded job: give the queue a bounded time to drain, then drop the rest
            closing = true;
            threads.shutdown();
            if (!threads.awaitTermination(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                threads.shutdownNow();
                threads.awaitTermination(1, TimeUnit.SECONDS);
            }
            dropped.inc(queue.size());
            queue.clear();
        }
    }
}
