package io.llmslo.judge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A real HTTP peer on 127.0.0.1 (random port) speaking the judge protocols the providers use:
 * OpenAI {@code POST /v1/chat/completions}, Anthropic {@code POST /v1/messages} and Ollama
 * {@code POST /api/chat}. Replies follow a script; every request is captured.
 */
final class FakeJudgeServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
        // delayed ACK: +40 ms per exchange that is the test server's, not the judge client's.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One scripted reply: a judge answer text (wrapped in the protocol), an HTTP error, or a hang. */
    record Reply(int status, String answer, Map<String, String> headers, long delayMs) {
        static Reply answer(String text) {
            return new Reply(200, text, Map.of(), 0);
        }

        static Reply status(int code, String body) {
            return new Reply(code, body, Map.of(), 0);
        }

        static Reply status(int code, String body, Map<String, String> headers) {
            return new Reply(code, body, headers, 0);
        }

        static Reply hang(long ms) {
            return new Reply(200, "{\"score\": 5, \"reason\": \"too late\"}", Map.of(), ms);
        }
    }

    /** A captured request. */
    record Captured(String path, Map<String, List<String>> headers, String body, long atNanos) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private volatile Supplier<Reply> fallback = () -> Reply.answer("{\"score\": 4, \"reason\": \"default\"}");
    private volatile java.util.function.Function<String, Reply> byBody;
    final List<Captured> requests = Collections.synchronizedList(new ArrayList<>());

    FakeJudgeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", ex -> handle(ex, "openai"));
        server.createContext("/v1/messages", ex -> handle(ex, "anthropic"));
        server.createContext("/api/chat", ex -> handle(ex, "ollama"));
        server.setExecutor(pool); // a hanging reply must not block the others
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String baseUrl(String provider) {
        return switch (provider) {
            case "ollama" -> "http://127.0.0.1:" + port();
            default -> "http://127.0.0.1:" + port() + "/v1";
        };
    }

    FakeJudgeServer then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    FakeJudgeServer always(Reply r) {
        fallback = () -> r;
        return this;
    }

    /** Replies decided per request, e.g. an outage for the first N requests. */
    FakeJudgeServer always(Supplier<Reply> replies) {
        fallback = replies;
        return this;
    }

    /** Replies decided from the request body (the judged text), like a model would. */
    FakeJudgeServer answering(java.util.function.Function<String, Reply> replies) {
        byBody = replies;
        return this;
    }

    List<Captured> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void handle(HttpExchange ex, String protocol) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Captured(ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), body, System.nanoTime()));
        Reply r = script.poll();
        if (r == null) {
            r = byBody != null ? byBody.apply(body) : fallback.get();
        }
        if (r.delayMs() > 0) {
            try {
                Thread.sleep(r.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        String out = r.status() == 200 ? wrap(protocol, r.answer()) : r.answer();
        byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        try {
            ex.sendResponseHeaders(r.status(), bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        } catch (IOException clientGone) {
            // the client timed out and closed the connection: fine
        }
    }

    private static String wrap(String protocol, String answer) {
        ObjectNode n = JSON.createObjectNode();
        switch (protocol) {
            case "openai" -> {
                n.put("id", "chatcmpl-test").put("object", "chat.completion").put("created", 1_700_000_000L).put("model", "judge-test");
                ObjectNode choice = n.putArray("choices").addObject();
                choice.put("index", 0).put("finish_reason", "stop");
                choice.putObject("message").put("role", "assistant").put("content", answer);
                n.putObject("usage").put("prompt_tokens", 812).put("completion_tokens", 23).put("total_tokens", 835);
            }
            case "anthropic" -> {
                n.put("id", "msg_test").put("type", "message").put("role", "assistant").put("model", "claude-test");
                n.putArray("content").addObject().put("type", "text").put("text", answer);
                n.put("stop_reason", "end_turn").putNull("stop_sequence");
                n.putObject("usage").put("input_tokens", 812).put("output_tokens", 23);
            }
            default -> {
                n.put("model", "llama-test").put("created_at", "2026-11-27T10:00:00Z");
                n.putObject("message").put("role", "assistant").put("content", answer);
                n.put("done", true).put("done_reason", "stop").put("prompt_eval_count", 812).put("eval_count", 23);
            }
        }
        return n.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
