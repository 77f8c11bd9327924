package archfixture.sample;

import org.springframework.context.ApplicationEvent;

/** Breaks the rule: a module API type that drags Spring into every module that listens. */
public record EventCarryingSpringTypes(ApplicationEvent wrapped) {
}
