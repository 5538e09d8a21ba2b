package io.pgforce.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.connection.PauseSwitch;
import io.pgforce.testing.EndToEnd;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad requests to the admin API, a table of them: each gets its status and one JSON line naming
 * what is wrong, and changes nothing.
 */
@QuarkusTest
@EndToEnd
class AdminApiBadInputTest {

    @TestHTTPResource("/")
    URL root;
    @Inject
    PauseSwitch pauseSwitch;

    @AfterEach
    void resume() throws Exception {
        pauseSwitch.resume("test clean-up");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a pause by 5 MB of text      | /api/pause  | 5000000  | 400 | by: at most 200 characters
            a pause by 201 characters    | /api/pause  | 201      | 400 | by: at most 200 characters
            a resume by 5 MB of text     | /api/resume | 5000000  | 400 | by: at most 200 characters
            """)
    void aBadRequestGetsItsStatusAndOneJsonLine(String name, String path, int byLength, int status, String expected) throws Exception {
        ApiClient api = new ApiClient(root, "test-admin-token", new ArrayList<>());

        String error = api.post(path, "{\"by\": \"" + "x".repeat(byLength) + "\"}").error(status);

        assertThat(error).contains(expected).doesNotContain("Exception");
        assertThat(pauseSwitch.current()).as("nothing was paused").isEmpty();
    }

    @Test
    void aBodyOverTheSizeLimitIsRefusedWithOneJsonLineBeforeItIsRead() throws Exception {
        // only the headers go: the answer must come from the declared length alone
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/pause HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer test-admin-token\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 11000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = httpAnswer(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 413").contains("application/json")
                    .endsWith("{\"error\":\"the request body is larger than 10485760 bytes (quarkus.http.limits.max-body-size)\"}");
        }
        assertThat(pauseSwitch.current()).isEmpty();
    }

    /** Reads one HTTP answer (headers, then as many bytes as its Content-Length says), without waiting for the connection to close. */
    private static String httpAnswer(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return head + new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
