package io.llmslo.judge;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A langchain4j {@link HttpClient} over the JDK client that keeps what langchain4j's own client
 * drops: the {@code Retry-After} header of a 429/503. langchain4j 1.19 maps a non-2xx status to
 * {@code RateLimitException}/{@code InternalServerException} whose cause is an
 * {@link HttpException} carrying only the status code and body; our {@link StatusException}
 * subclass adds the server's requested wait, which {@link ChatJudgeClient} honours.
 *
 * <p>Only the blocking {@link #execute(HttpRequest)} is used by the judge (no streaming).
 */
final class RetryAfterHttpClient implements HttpClient {

    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** An HTTP error status with the server's Retry-After, if it sent one. */
    static final class StatusException extends HttpException {
        private final Duration retryAfter;

        StatusException(int statusCode, String body, Duration retryAfter) {
            super(statusCode, body);
            this.retryAfter = retryAfter;
        }

        Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    private final java.net.http.HttpClient http;
    private final Duration readTimeout;

    private RetryAfterHttpClient(Builder b) {
        java.net.http.HttpClient.Builder jb = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1);
        if (b.connectTimeout != null) {
            jb.connectTimeout(b.connectTimeout);
        }
        this.http = jb.build();
        this.readTimeout = b.readTimeout;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        java.net.http.HttpRequest.Builder rb = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
        request.headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> rb.header(name, v));
            }
        });
        String body = request.body();
        rb.method(request.method().name(), body == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (readTimeout != null) {
            rb.timeout(readTimeout);
        }
        HttpResponse<String> response;
        try {
            response = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new TimeoutException(e);
        } catch (IOException e) {
            throw new LangChain4jException("I/O error talking to the judge: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LangChain4jException("interrupted", e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return SuccessfulHttpResponse.builder().statusCode(status).headers(response.headers().map())
                    .body(response.body()).build();
        }
        throw new StatusException(status, response.body(), retryAfter(response.headers()));
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        listener.onError(new UnsupportedFeatureException("the judge's HTTP client does not stream"));
    }

    /** {@code retry-after-ms} (OpenAI), else {@code Retry-After} in seconds or as an HTTP date. */
    static Duration retryAfter(java.net.http.HttpHeaders headers) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(ms.get().trim()))));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        return headers.firstValue("retry-after").map(RetryAfterHttpClient::parseRetryAfter).orElse(null);
    }

    static Duration parseRetryAfter(String v) {
        String s = v.trim();
        try {
            return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(s) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    static final class Builder implements HttpClientBuilder {
        private Duration connectTimeout;
        private Duration readTimeout;

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public Builder readTimeout(Duration d) {
            this.readTimeout = d;
            return this;
        }

        @Override
        public HttpClient build() {
            return new RetryAfterHttpClient(this);
        }
    }
}
