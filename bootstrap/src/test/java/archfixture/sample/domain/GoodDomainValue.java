package archfixture.sample.domain;

import java.time.Instant;
import java.util.List;

/** Keeps the rule: JDK types and its own domain only. */
public record GoodDomainValue(Instant at, List<String> names) {
}
