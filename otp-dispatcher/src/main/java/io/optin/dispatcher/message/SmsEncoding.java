package io.optin.dispatcher.message;

/**
 * How a carrier encodes an SMS body: GSM 03.38 7-bit when every character allows it, else UCS-2.
 */
public enum SmsEncoding {
  /** 160 septets in one segment, 153 per segment when split; extension characters take two. */
  GSM_7(160, 153),
  /**
   * 70 UTF-16 units in one segment, 67 per segment when split; characters beyond the BMP take two.
   */
  UCS_2(70, 67);

  private final int singleSegment;
  private final int perPartSegment;

  SmsEncoding(int singleSegment, int perPartSegment) {
    this.singleSegment = singleSegment;
    this.perPartSegment = perPartSegment;
  }

  /** Units that fit in a message sent as one segment. */
  public int singleSegment() {
    return singleSegment;
  }

  /** Units per segment of a concatenated message (the rest of 140 bytes holds the UDH). */
  public int perPartSegment() {
    return perPartSegment;
  }
}
