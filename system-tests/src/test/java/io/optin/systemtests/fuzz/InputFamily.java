package io.optin.systemtests.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** One family of fuzz inputs: each draw from the seeded random is one input. */
interface InputFamily {

  /** One input, drawn from {@code random}. */
  FuzzInput one(Random random);

  /** {@code count} inputs, drawn in order from {@code random} (so a seed replays them). */
  default List<FuzzInput> generate(Random random, int count) {
    List<FuzzInput> inputs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      inputs.add(one(random));
    }
    return inputs;
  }
}
