package io.optin.app.sandbox;

/**
 * How many SMS segments a text takes: GSM-7 fits 160 characters in one segment (153 per segment when split),
 * anything else is sent as UCS-2, 70 per segment (67 when split). Extension characters count twice.
 */
final class SmsSegments {

    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "^{}\\[~]|€\f";

    private SmsSegments() {
    }

    static int count(String text) {
        int gsmUnits = 0;
        boolean gsm = true;
        for (int i = 0; i < text.length() && gsm; i++) {
            char c = text.charAt(i);
            if (GSM_BASIC.indexOf(c) >= 0) {
                gsmUnits += 1;
            } else if (GSM_EXTENSION.indexOf(c) >= 0) {
                gsmUnits += 2;
            } else {
                gsm = false;
            }
        }
        if (gsm) {
            return segments(gsmUnits, 160, 153);
        }
        return segments(text.length(), 70, 67);
    }

    private static int segments(int units, int single, int perPart) {
        if (units <= single) {
            return 1;
        }
        return (units + perPart - 1) / perPart;
    }
}
