package io.optin.app.sandbox;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SmsSegmentsTest {

    @ParameterizedTest(name = "{0} × ''{1}'' takes {2} segment(s)")
    @CsvSource({
            "160, a, 1",   // GSM-7 fits 160
            "161, a, 2",   // then 153 per part
            "306, a, 2",
            "307, a, 3",
            "80, €, 1",    // extension characters count twice
            "81, €, 2",
            "70, é, 1",    // é is GSM-7
            "70, ł, 1",    // ł is not: UCS-2, 70 per segment
            "71, ł, 2",
            "134, ł, 2",   // then 67 per part
            "135, ł, 3"})
    void shouldCountSegmentsLikeCarriers(int times, String character, int segments) {
        assertThat(SmsSegments.count(character.repeat(times))).isEqualTo(segments);
    }
}
