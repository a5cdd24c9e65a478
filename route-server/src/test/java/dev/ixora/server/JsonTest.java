package dev.ixora.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void roundTrip() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\nd\u0001é");
        m.put("n", 4294967295L);
        m.put("f", 1.5);
        m.put("t", true);
        m.put("z", null);
        m.put("l", Arrays.asList(1L, "x", null, List.of()));
        m.put("o", Map.of());
        String text = Json.write(m);
        assertEquals("{\"s\":\"a\\\"b\\\\c\\nd\\u0001é\",\"n\":4294967295,\"f\":1.5,\"t\":true,\"z\":null,"
                + "\"l\":[1,\"x\",null,[]],\"o\":{}}", text);
        assertEquals(m, Json.parse(text));
        assertEquals(m, Json.parse(" { \"s\" : \"a\\\"b\\\\c\\nd\\u0001\\u00e9\", \"n\":4294967295,\"f\":1.5,"
                + "\"t\":true,\"z\":null,\"l\":[1,\"x\",null,[ ]],\"o\":{ } } "));
    }

    @Test
    void rejectsBrokenText() {
        for (String s : List.of("", "{", "[1,]", "{\"a\" 1}", "\"x", "nul", "{} x")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(s), s);
        }
    }
}
