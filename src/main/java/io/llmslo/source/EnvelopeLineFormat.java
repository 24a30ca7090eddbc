package io.llmslo.source;

import io.llmslo.event.DeadLetter;
import io.llmslo.event.Envelope;
import io.llmslo.event.EventKind;
import io.llmslo.event.EventParser;
import io.llmslo.event.EventTimeBounds;
import io.llmslo.event.TextPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * JSONL file format that parses inside the source, so the source itself assigns event time and
 * takes part in watermark alignment. Lines are read as bytes (the parser checks UTF-8 itself) and
 * never longer than {@link EventParser#MAX_RECORD_BYTES}: a longer line is a dead letter, read past
 * without being held in memory. Blank lines are skipped; bad lines become dead letters; records
 * implausibly far ahead of their neighbours too ({@link TimestampJumpFilter}).
 */
public final class EnvelopeLineFormat extends SimpleStreamFormat<Envelope> {

    static final String TOO_LARGE = "record too large: more than " + EventParser.MAX_RECORD_BYTES + " bytes";

    private final EventKind kind;
    private final EventTimeBounds bounds;
    private final long maxJumpMs;
    private final TextPolicy text;

    public EnvelopeLineFormat(EventKind kind) {
        this(kind, EventTimeBounds.defaults(), java.time.Duration.ofDays(1).toMillis(), TextPolicy.KEEP_ALL);
    }

    /** @param text which responses keep their text past the source (the job's {@code TextDrop}) */
    public EnvelopeLineFormat(EventKind kind, EventTimeBounds bounds, long maxJumpMs, TextPolicy text) {
        this.kind = kind;
        this.bounds = bounds;
        this.maxJumpMs = maxJumpMs;
        this.text = text;
    }

    @Override
    public Reader<Envelope> createReader(Configuration config, FSDataInputStream stream) {
        byte[] keyPrefix = (TOO_LARGE + "\0").getBytes(StandardCharsets.UTF_8);
        // + 3: a byte-order mark does not count against the record's size
        BoundedLineReader lines = new BoundedLineReader(stream, EventParser.MAX_RECORD_BYTES + 3, keyPrefix);
        EventParser parser = new EventParser(bounds, text);
        TimestampJumpFilter jumps = new TimestampJumpFilter(maxJumpMs);
        return new Reader<>() {
            private boolean eof;

            @Override
            public Envelope read() throws IOException {
                while (true) {
                    Envelope next = jumps.poll(eof);
                    if (next != null || eof) {
                        return next;
                    }
                    BoundedLineReader.Line line = lines.next();
                    if (line == null) {
                        eof = true;
                    } else if (line.overLimitKey() != null) {
                        byte[] head = line.bytes();
                        jumps.offer(Envelope.dead(kind, new DeadLetter(kind.source(), null, TOO_LARGE,
                                new String(head, 0, Math.min(head.length, DeadLetter.MAX_PAYLOAD),
                                        StandardCharsets.UTF_8), line.overLimitKey(), 1)), head);
                    } else if (!blank(line.bytes())) {
                        jumps.offer(parser.parse(kind, line.bytes(), null), line.bytes());
                    }
                }
            }

            @Override
            public void close() throws IOException {
                stream.close();
            }
        };
    }

    /** Whitespace only, after an optional byte-order mark. */
    private static boolean blank(byte[] b) {
        int start = b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
        for (int i = start; i < b.length; i++) {
            byte x = b[i];
            if (x != ' ' && x != '\t' && x != '\r' && x != '\f' && x != 0x0B) {
                return false;
            }
        }
        return true;
    }

    @Override
    public TypeInformation<Envelope> getProducedType() {
        return TypeInformation.of(Envelope.class);
    }
}
