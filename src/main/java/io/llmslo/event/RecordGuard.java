package io.llmslo.event;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place an operator turns an unexpected exception for one record into a dead letter
 * ({@code internal: <exception class> in <operator>}) and goes on (DESIGN §7b). Without it a
 * single poison record fails the task; with no restart strategy that ends the job, with one it
 * is a crash loop, because on Kafka the same record comes back after every restore.
 *
 * <p>Only {@link RuntimeException}s are caught: they are bugs or bad values. Checked exceptions
 * (state backend I/O, interrupted writes) are the infrastructure's and still fail the task, so
 * Flink's recovery handles them. The first occurrence per operator and exception class is logged
 * with its stack (never the message: it may hold record text), later ones are only counted in
 * the dead-letter table.
 */
public final class RecordGuard {

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private static final Logger LOG = LoggerFactory.getLogger(RecordGuard.class);
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private RecordGuard() {}

    /** The work for one record. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body}; if it throws a RuntimeException, sends a dead letter for the record to
     * {@code deadLetters} instead. Output already emitted by the body before it threw stays.
     *
     * @return whether the body completed
     */
    public static boolean run(String operator, String source, Long eventTime, Supplier<String> payload,
            Consumer<DeadLetter> deadLetters, Body body) throws Exception {
        try {
            body.run();
            return true;
        } catch (RuntimeException e) {
            String kind = e.getClass().getName();
            if (LOGGED.add(operator + "|" + kind)) {
                RuntimeException shown = new RuntimeException(kind + " (message withheld)");
                shown.setStackTrace(e.getStackTrace());
                LOG.warn("{}: a record failed with {}; it is a dead letter and the job goes on"
                        + " (logged once per operator and exception class)", operator, kind, shown);
            }
            String text;
            try {
                text = payload.get();
            } catch (RuntimeException again) {
                text = "";
            }
            deadLetters.accept(DeadLetter.of(source, eventTime, "internal: " + kind + " in " + operator, text));
            return false;
        }
    }
}
