package io.llmslo.join;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.llmslo.event.Envelope;

/**
 * Re-serializes a parsed event for a dead letter's payload, in the input's snake_case shape
 * ({@code ts} as epoch millis), so a dead letter can be inspected and replayed.
 */
final class EnvelopeJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private EnvelopeJson() {}

    /** A JSON string literal. */
    static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException ex) {
            return "\"\"";
        }
    }

    static String toJson(Envelope e) {
        Object event = e.response() != null ? e.response()
                : e.feedback() != null ? e.feedback() : e.rating() != null ? e.rating() : e.score();
        try {
            String json = MAPPER.writeValueAsString(event);
            return json;
        } catch (JsonProcessingException ex) {
            return String.valueOf(event);
        }
    }
}
