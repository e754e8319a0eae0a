package io.optin.replies.webhook;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the voice webhook says after a key press, in the call's language: English, French, Spanish
 * or German, English for any other or none.
 *
 * @param sayLanguage the {@code <Say language>} these texts are spoken in
 * @param confirmed the key confirmed (or had already)
 * @param recorded the key is recorded but its outcome was not known within the wait
 * @param expired the window had passed
 * @param locked too many wrong codes had locked the challenge
 * @param nothingToConfirm no challenge the key could answer
 * @param otherKey a key that does not confirm: the prompt gathered again
 * @param goodbye no key after that prompt
 * @param tryAgain the key could not be recorded: the prompt gathered again
 */
public record VoiceTexts(
    String sayLanguage,
    String confirmed,
    String recorded,
    String expired,
    String locked,
    String nothingToConfirm,
    String otherKey,
    String goodbye,
    String tryAgain) {

  private static final Pattern REGION_TAG = Pattern.compile("^[a-z]{2}-[A-Z]{2}$");

  static final VoiceTexts ENGLISH =
      new VoiceTexts(
          "en-US",
          "Confirmed, thank you. Goodbye.",
          "Thank you, your answer has been recorded. Goodbye.",
          "This code has expired. Please sign up again to get a new code. Goodbye.",
          "Too many wrong codes. Please sign up again to get a new code. Goodbye.",
          "There is nothing to confirm for this number. Goodbye.",
          "That key does not confirm. Press 1 to confirm, or hang up.",
          "Nothing was confirmed. Goodbye.",
          "Sorry, your answer could not be recorded. Press 1 to try again.");

  private static final Map<String, VoiceTexts> BY_LANGUAGE =
      Map.of(
          "en",
          ENGLISH,
          "fr",
          new VoiceTexts(
              "fr-FR",
              "C'est confirmé, merci. Au revoir.",
              "Merci, votre réponse est enregistrée. Au revoir.",
              "Ce code a expiré. Inscrivez-vous à nouveau pour recevoir un nouveau code. Au revoir.",
              "Trop de codes erronés. Inscrivez-vous à nouveau pour recevoir un nouveau code. Au revoir.",
              "Il n'y a rien à confirmer pour ce numéro. Au revoir.",
              "Cette touche ne confirme pas. Appuyez sur 1 pour confirmer, ou raccrochez.",
              "Rien n'a été confirmé. Au revoir.",
              "Désolé, votre réponse n'a pas pu être enregistrée. Appuyez sur 1 pour réessayer."),
          "es",
          new VoiceTexts(
              "es-ES",
              "Confirmado, gracias. Adiós.",
              "Gracias, su respuesta ha quedado registrada. Adiós.",
              "Este código ha caducado. Regístrese de nuevo para recibir un código nuevo. Adiós.",
              "Demasiados códigos incorrectos. Regístrese de nuevo para recibir un código nuevo. Adiós.",
              "No hay nada que confirmar para este número. Adiós.",
              "Esa tecla no confirma. Pulse 1 para confirmar, o cuelgue.",
              "No se ha confirmado nada. Adiós.",
              "Lo sentimos, no se pudo registrar su respuesta. Pulse 1 para intentarlo de nuevo."),
          "de",
          new VoiceTexts(
              "de-DE",
              "Bestätigt, vielen Dank. Auf Wiederhören.",
              "Danke, Ihre Antwort wurde gespeichert. Auf Wiederhören.",
              "Dieser Code ist abgelaufen. Bitte melden Sie sich erneut an, um einen neuen Code zu erhalten. Auf Wiederhören.",
              "Zu viele falsche Codes. Bitte melden Sie sich erneut an, um einen neuen Code zu erhalten. Auf Wiederhören.",
              "Für diese Nummer gibt es nichts zu bestätigen. Auf Wiederhören.",
              "Diese Taste bestätigt nicht. Drücken Sie 1 zum Bestätigen, oder legen Sie auf.",
              "Es wurde nichts bestätigt. Auf Wiederhören.",
              "Ihre Antwort konnte leider nicht gespeichert werden. Drücken Sie 1, um es erneut zu versuchen."));

  /**
   * The texts for a language tag ({@code fr}, {@code fr-CA}, {@code de_DE}…; case and {@code _}
   * ignored), English when null, unreadable or not one of the four. A tag with its region is kept
   * as the {@code <Say language>} (Twilio speaks {@code fr-CA} differently from {@code fr-FR}).
   */
  public static VoiceTexts forLanguage(String tag) {
    if (tag == null || tag.length() > 35) {
      return ENGLISH;
    }
    String normalised = tag.strip().replace('_', '-');
    int dash = normalised.indexOf('-');
    String language =
        (dash < 0 ? normalised : normalised.substring(0, dash)).toLowerCase(Locale.ROOT);
    VoiceTexts texts = BY_LANGUAGE.get(language);
    if (texts == null) {
      return ENGLISH;
    }
    if (dash == 2 && normalised.length() == 5) {
      String withRegion = language + "-" + normalised.substring(3).toUpperCase(Locale.ROOT);
      if (REGION_TAG.matcher(withRegion).matches()) {
        return texts.spokenIn(withRegion);
      }
    }
    return texts;
  }

  private VoiceTexts spokenIn(String language) {
    return new VoiceTexts(
        language,
        confirmed,
        recorded,
        expired,
        locked,
        nothingToConfirm,
        otherKey,
        goodbye,
        tryAgain);
  }
}
