package io.formix.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.formix.transport.BadFrameException;
import io.formix.transport.PartyId;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
/** The directory-mode hello and acknowledgement frames. */
class HelloTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void helloRoundTrips() throws Exception {
        Hello h = new Hello(PartyId.of("heavy-1"), PartyId.of("light-42"));
        assertEquals(h, Hello.parse(h.encode()));
        assertEquals("formix-tcp/1 heavy-1 light-42", new String(h.encode(), StandardCharsets.US_ASCII));
    }

    @Test
    void malformedHellosAreRefused() {
        for (String bad : new String[] {
            "",
            "formix-tcp/1",
            "formix-tcp/2 a b",
            "formix-tcp/1 a",
            "formix-tcp/1 a b c",
            "formix-tcp/1 A b",
            "formix-tcp/1 a_x b",
            "formix-tcp/1 ../x b",
            "formix-tcp/1  a b",
            "formix-tcp/1 a\u00e9 b",
            "formix-tcp/1 a b\n"
        }) {
            assertThrows(BadFrameException.class, () -> Hello.parse(ascii(bad)), bad);
        }
    }

    @Test
    void repliesAreParsedStrictly() throws Exception {
        assertNull(Hello.refusal(Hello.accept()));
        assertEquals("busy", Hello.refusal(Hello.refuse("busy")));
        assertThrows(BadFrameException.class, () -> Hello.refusal(ascii("okay")));
        assertEquals(Hello.MAX_BYTES, Hello.refuse("x".repeat(1000)).length);
    }

    @Test
    void ackFramesRoundTrip() {
        assertEquals(123_456_789L, AckChannel.decode(AckChannel.encode(123_456_789L)));
        assertEquals(-1, AckChannel.decode(new byte[7]));
        assertEquals(-1, AckChannel.decode(AckChannel.encode(-5)));
    }
}
