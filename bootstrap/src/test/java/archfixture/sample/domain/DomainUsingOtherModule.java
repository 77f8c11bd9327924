package archfixture.sample.domain;

import archfixture.other.domain.OtherModuleValue;

/** Breaks the rule: a domain that reaches into another module's domain. */
public record DomainUsingOtherModule(OtherModuleValue value, GoodDomainValue own) {
}
