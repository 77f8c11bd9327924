package archfixture.sample.domain;

import org.springframework.context.ApplicationEventPublisher;

/** Breaks the rule: a domain type that needs Spring. */
public class DomainUsingSpring {
	ApplicationEventPublisher events;
}
