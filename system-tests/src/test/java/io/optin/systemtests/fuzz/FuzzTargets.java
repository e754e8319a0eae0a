package io.optin.systemtests.fuzz;

import io.optin.kit.testing.TwilioSigner;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the generators aim at and share: the ports, the API token, the Twilio auth token webhooks
 * are signed with, the programs, whether this stack refuses unknown programs and foreign Host
 * headers, the phone numbers, and the valid signups sent (the only ones allowed on the topic).
 */
final class FuzzTargets {

  final int gatewayPort;
  final String token;
  final String publicBaseUrl;
  final List<String> programs;
  final boolean programsDeclared;
  final boolean devHostCheck;
  final int codeLength;
  final Phones validPhones = Phones.forValidInputs();
  final Phones hostilePhones = Phones.forHostileInputs();

  /** Valid signups sent: phone to the program and consent text the topic must hold for it. */
  final Map<String, List<String>> validSignups = new ConcurrentHashMap<>();

  private final TwilioSigner signer;

  FuzzTargets(
      int gatewayPort,
      String token,
      String twilioAuthToken,
      String publicBaseUrl,
      List<String> programs,
      boolean programsDeclared,
      boolean devHostCheck,
      int codeLength) {
    this.gatewayPort = gatewayPort;
    this.token = token;
    this.signer = new TwilioSigner(twilioAuthToken);
    this.publicBaseUrl = publicBaseUrl;
    this.programs = programs;
    this.programsDeclared = programsDeclared;
    this.devHostCheck = devHostCheck;
    this.codeLength = codeLength;
  }

  String host() {
    return "127.0.0.1:" + gatewayPort;
  }

  /** A well-formed request on the gateway, with the API token. */
  RawRequest api(String method, String target) {
    return RawRequest.of(method, target, host()).header("Authorization", "Bearer " + token);
  }

  /** A request on the gateway without any token. */
  RawRequest anonymous(String method, String target) {
    return RawRequest.of(method, target, host());
  }

  String program(Random random) {
    return programs.get(random.nextInt(programs.size()));
  }

  /** Twilio's signature of {@code form} posted to {@code path} of the public base URL. */
  String sign(String path, Map<String, String> form) {
    return signer.sign(publicBaseUrl + path, form);
  }

  /** Remembers a valid signup, which the topic may hold. */
  void sentValid(String phone, String programId, String consentText) {
    validSignups.put(phone, List.of(programId, consentText));
  }
}
