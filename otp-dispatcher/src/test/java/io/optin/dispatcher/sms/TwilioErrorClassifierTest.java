package io.optin.dispatcher.sms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TwilioErrorClassifierTest {

  private static ApiException answer(int httpStatus, Integer code) {
    return new ApiException("from Twilio", code, null, httpStatus, httpStatus, null, null, null);
  }

  @ParameterizedTest(name = "HTTP 400 with code {0} is permanent")
  @ValueSource(ints = {21211, 21212, 21408, 21602, 21604, 21610, 21612, 21614, 21617})
  void shouldTreatTwilioRejectionsAsPermanent(int code) {
    assertThat(TwilioErrorClassifier.classify(answer(400, code)))
        .isEqualTo(new SendResult.PermanentFailure(code, "from Twilio"));
  }

  @Test
  void shouldTreatBadCredentialsAsPermanent() {
    assertThat(TwilioErrorClassifier.classify(answer(401, 20003)))
        .isEqualTo(new SendResult.PermanentFailure(20003, "from Twilio"));
  }

  @ParameterizedTest(name = "HTTP {0} with code {1} is transient")
  @CsvSource({"429, 20429", "500, 20500", "503, 20503", "502,", "400, 21611", "400, 14107"})
  void shouldTreatThrottlingAndServerErrorsAsTransient(int httpStatus, Integer code) {
    assertThat(TwilioErrorClassifier.classify(answer(httpStatus, code)))
        .isEqualTo(new SendResult.TransientFailure(httpStatus, code, "from Twilio"));
  }

  @Test
  void shouldTreatNetworkFailuresAsTransient() {
    assertThat(
            TwilioErrorClassifier.classify(
                new ApiException("Read timed out", new SocketTimeoutException("Read timed out"))))
        .isEqualTo(new SendResult.TransientFailure(null, null, "Read timed out"));
    assertThat(
            TwilioErrorClassifier.classify(
                new ApiConnectionException("Unable to connect to server")))
        .isEqualTo(new SendResult.TransientFailure(null, null, "Unable to connect to server"));
  }

  @Test
  void shouldNotRetryAnAnswerItCouldNotRead() {
    // A 201 whose body does not parse: the message may exist, a retry could send it twice
    assertThat(
            TwilioErrorClassifier.classify(
                new ApiException(
                    "Unexpected token", new JsonParseException(null, "Unexpected token"))))
        .isInstanceOf(SendResult.PermanentFailure.class);
  }
}
