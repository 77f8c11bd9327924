package archfixture.sample;

import java.time.Instant;

/** Keeps the rule: an event of plain values. */
public record SampleEnrolled(String id, Instant at) {
}
