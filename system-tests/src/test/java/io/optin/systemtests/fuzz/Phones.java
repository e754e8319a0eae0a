package io.optin.systemtests.fuzz;

import java.util.List;

/**
 * Phone numbers that pass as real ones ({@code +1 NPA 555 01xx}, reserved for fiction), handed out
 * once each: valid signups get numbers of the first half of the area codes, hostile inputs of the
 * second half, so that a record on the signup topic tells which kind of input it came from.
 */
final class Phones {

  private static final List<Integer> AREA_CODES =
      List.of(
          201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219, 224,
          225, 228, 229, 231, 234, 239, 240, 248, 251, 252, 253, 254, 256, 260, 262, 267, 269, 270,
          276, 281, 301, 302, 303, 304, 305, 307, 308, 309, 310, 312, 313, 314, 315, 316, 317, 318,
          319, 320, 321, 323, 325, 330, 334, 336, 337, 339, 347, 351, 352, 360, 361, 386, 401, 402,
          404, 405, 406, 407, 408, 409, 410, 412, 413, 414, 415, 417, 419, 423, 424, 425, 430, 432,
          434, 435, 440, 443, 469, 478, 479, 480, 484, 501, 502, 503, 504, 505, 507, 508, 509, 510,
          512, 513, 515, 516, 517, 518, 520, 530, 540, 541, 551, 559, 561, 562, 563, 567, 570, 571,
          573, 574, 575, 580, 585, 586, 601, 602, 603, 605, 606, 607, 608, 609, 610, 612, 614, 615,
          616, 617, 618, 619, 620, 623, 626, 630, 631, 636, 641, 646, 650, 651, 660, 661, 662, 678);

  private final int firstArea;
  private final int areas;
  private int next;

  private Phones(int firstArea, int areas) {
    this.firstArea = firstArea;
    this.areas = areas;
  }

  static Phones forValidInputs() {
    return new Phones(0, AREA_CODES.size() / 2);
  }

  static Phones forHostileInputs() {
    return new Phones(AREA_CODES.size() / 2, AREA_CODES.size() - AREA_CODES.size() / 2);
  }

  /** Whether {@code e164} is one {@link #forValidInputs()} hands out. */
  static boolean isForValidInputs(String e164) {
    return e164.startsWith("+1")
        && e164.length() == 12
        && AREA_CODES.indexOf(Integer.parseInt(e164.substring(2, 5))) < AREA_CODES.size() / 2;
  }

  /** A number not handed out before (they wrap after 100 per area code). */
  synchronized String next() {
    int n = next++;
    int area = AREA_CODES.get(firstArea + n % areas);
    return String.format("+1%d55501%02d", area, (n / areas) % 100);
  }
}
