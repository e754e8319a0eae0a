package io.optin.dispatcher.message;

import io.optin.avro.SmsKind;
import java.util.Map;

/**
 * The built-in texts: each names the brand, says how to confirm and when the code expires, carries
 * the rates and STOP/HELP notices (CTIA), and fits one GSM-7 segment with a 12-character brand.
 * Accents are limited to the GSM-7 table (é è à ù ì ò, ä ö ü ß), so French and Spanish stay GSM-7
 * rather than UCS-2 (70 characters a segment): no ê, â, î, ô, ç, á, í, ó, ú.
 */
final class DefaultTemplates {

  static final String FALLBACK_LOCALE = "en";

  static final Map<String, Map<SmsKind, String>> BY_LOCALE =
      Map.of(
          "en",
              Map.of(
                  SmsKind.CONFIRMATION_CODE,
                      "{brand}: your code is {code}. Reply YES to confirm SMS alerts. "
                          + "Expires in {minutes} min. Msg & data rates may apply. Reply STOP to opt out, HELP for help.",
                  SmsKind.CONFIRMED,
                      "{brand}: You're subscribed to SMS alerts. Msg frequency varies. "
                          + "Msg & data rates may apply. Reply STOP to opt out, HELP for help.",
                  SmsKind.OPTED_OUT,
                      "{brand}: You're unsubscribed and will receive no more messages. "
                          + "Reply START to resubscribe.",
                  SmsKind.HELP,
                      "{brand} SMS alerts. Msg frequency varies. Msg & data rates may apply. "
                          + "Reply STOP to opt out, START to resubscribe."),
          "fr",
              Map.of(
                  SmsKind.CONFIRMATION_CODE,
                      "{brand}: code {code}. Répondez OUI pour confirmer les alertes SMS. "
                          + "Expire dans {minutes} min. Frais SMS possibles. STOP pour vous désabonner, AIDE pour l'aide.",
                  SmsKind.CONFIRMED,
                      "{brand}: inscription confirmée aux alertes SMS. Fréquence variable. "
                          + "Frais SMS possibles. STOP pour vous désabonner, AIDE pour l'aide.",
                  SmsKind.OPTED_OUT,
                      "{brand}: désinscription confirmée, vous ne recevrez plus de messages. "
                          + "Répondez START pour vous réabonner.",
                  SmsKind.HELP,
                      "{brand} alertes SMS. Fréquence variable. Frais SMS possibles. "
                          + "Répondez STOP pour vous désabonner, START pour vous réabonner."),
          "es",
              Map.of(
                  SmsKind.CONFIRMATION_CODE,
                      "{brand}: tu codigo es {code}. Responde SI para confirmar alertas SMS. "
                          + "Caduca en {minutes} min. Pueden aplicarse tarifas. STOP para baja, AYUDA para ayuda.",
                  SmsKind.CONFIRMED,
                      "{brand}: te has suscrito a alertas SMS. Frecuencia variable. "
                          + "Pueden aplicarse tarifas. Responde STOP para baja, AYUDA para ayuda.",
                  SmsKind.OPTED_OUT,
                      "{brand}: te has dado de baja y no recibiras mas mensajes. "
                          + "Responde START para volver a suscribirte.",
                  SmsKind.HELP,
                      "{brand} alertas SMS. Frecuencia variable. Pueden aplicarse tarifas. "
                          + "Responde STOP para baja, START para volver."),
          "de",
              Map.of(
                  SmsKind.CONFIRMATION_CODE,
                      "{brand}: Ihr Code ist {code}. Antworten Sie JA, um SMS-Infos zu "
                          + "bestätigen. Gültig {minutes} Min. Ggf. Gebühren. STOP zum Abmelden, HILFE für Hilfe.",
                  SmsKind.CONFIRMED,
                      "{brand}: Sie haben SMS-Infos abonniert. Häufigkeit variiert. Ggf. Gebühren. "
                          + "STOP zum Abmelden, HILFE für Hilfe.",
                  SmsKind.OPTED_OUT,
                      "{brand}: Sie sind abgemeldet und erhalten keine Nachrichten mehr. "
                          + "START zum erneuten Anmelden.",
                  SmsKind.HELP,
                      "{brand} SMS-Infos. Häufigkeit variiert. Ggf. Gebühren. STOP zum Abmelden, "
                          + "START zum erneuten Anmelden."));

  private DefaultTemplates() {}
}
