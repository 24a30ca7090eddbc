package io.llmslo.source;

import io.llmslo.event.Envelope;
import io.llmslo.event.EventKind;
import io.llmslo.event.EventParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * JSONL file format that parses inside the source, so the source itself assigns event time and
 * takes part in watermark alignment. Blank lines are skipped; bad lines become dead letters.
 */
public final class EnvelopeLineFormat extends SimpleStreamFormat<Envelope> {

    private final EventKind kind;

    public EnvelopeLineFormat(EventKind kind) {
        this.kind = kind;
    }

    @Override
    public Reader<Envelope> createReader(Configuration config, FSDataInputStream stream) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        EventParser parser = new EventParser();
        return new Reader<>() {
            @Override
            public Envelope read() throws IOException {
                String line;
                do {
                    line = lines.readLine();
                    if (line == null) {
                        return null;
                    }
                } while (line.isBlank());
                return parser.parse(kind, line);
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        };
    }

    @Override
    public TypeInformation<Envelope> getProducedType() {
        return TypeInformation.of(Envelope.class);
    }
}
