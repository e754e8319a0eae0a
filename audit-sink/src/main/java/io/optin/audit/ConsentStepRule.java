package io.optin.audit;

/** How one decoded input record of type {@code V} becomes consent steps. */
@FunctionalInterface
interface ConsentStepRule<V> {

  Derivation derive(String key, V value, RecordOrigin origin);
}
