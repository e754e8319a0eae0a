package io.optin.devkit.bench;

import java.util.List;

/**
 * One distinct synthetic phone per flow: {@code +1 NPA 555 XXXX} over real area codes, which optin
 * accepts as mobile numbers (the 555 exchange is fiction in the NANP, so none is anyone's) and
 * which are not Twilio's magic test numbers. Flow {@code i} of a run starting at {@code first} gets
 * number {@code first + i}, so a run against a running optin can start elsewhere than the last.
 */
final class PhoneNumbers {

  private static final List<String> AREA_CODES =
      List.of(
          "201", "202", "203", "205", "206", "207", "208", "210", "212", "213", "214", "215", "216",
          "217", "218", "219", "224", "225", "228", "229", "231", "234", "239", "240", "248", "251",
          "252", "253", "254", "256", "260", "262", "267", "269", "270", "276", "281", "301", "302",
          "303", "304", "305", "307", "308", "309", "310", "312", "313", "314", "315", "316", "317",
          "318", "319", "320", "321", "323", "325", "330", "334", "336", "337", "339", "347", "351",
          "352", "360", "361", "386", "401", "402", "404", "405", "406", "407", "408", "409", "410",
          "412", "413", "414", "415", "417", "419", "423", "425", "430", "432", "434", "435", "440",
          "443", "469", "470", "475", "478", "479", "480", "484", "501", "502", "503", "504", "505",
          "507", "508", "509", "510", "512", "513", "515", "516", "517", "518", "520", "530",
          "540");

  private static final int LINES = 10_000;

  /** How many distinct numbers there are. */
  static final int CAPACITY = AREA_CODES.size() * LINES;

  private final int first;

  /**
   * @param first the index of the run's first number (0 to {@link #CAPACITY} - flows)
   */
  PhoneNumbers(int first) {
    if (first < 0 || first >= CAPACITY) {
      throw new IllegalArgumentException("first must be within 0 and " + (CAPACITY - 1));
    }
    this.first = first;
  }

  /** The E.164 number of flow {@code index}. */
  String of(int index) {
    int n = (first + index) % CAPACITY;
    return String.format(
        java.util.Locale.ROOT, "+1%s555%04d", AREA_CODES.get(n / LINES), n % LINES);
  }
}
