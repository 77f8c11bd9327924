package io.fidelis.bootstrap.tracing;

import java.lang.reflect.Method;

import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.modulith.events.ApplicationModuleListener;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.observation.ObservationRegistry;

/**
 * With tracing on ({@code FIDELIS_TRACING=true}), one trace follows a request past its answer:
 * work handed to the application's executor (the module listeners) carries the trace it was
 * handed in, and each module listener's run is a step of its own, named after the listener
 * ({@code reporting.ModuleEvents.on(PointsSettled)}). The points module joins settling to the
 * request's trace itself, and the store's commands are steps of whatever runs them
 * ({@code StorageConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("management.tracing.export.enabled")
class TracingConfiguration {

	/** Spring Boot hands it to the application's executor, which runs the module listeners. */
	@Bean
	ContextPropagatingTaskDecorator tracePassingTaskDecorator() {
		return new ContextPropagatingTaskDecorator();
	}

	/**
	 * Background polling is no request's work: its runs (every second, on every node) and their
	 * store commands would each start a trace of their own, burying the requests' traces. A store
	 * command is observed only inside other work (a request, a settlement, a listener).
	 */
	@Bean
	ObservationPredicate noTracesOfPolling() {
		return (name, context) -> !name.equals("tasks.scheduled.execution")
				&& !(name.startsWith("spring.data.mongodb") && (context.getParentObservation() == null
						// what a dropped observation leaves current: a no-op that only keeps scopes
						|| context.getParentObservation() instanceof Observation parent && parent.isNoop()));
	}

	/** Around every module listener, inside its asynchronous hand-off and outside its transaction. */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor moduleListenerSteps(ObjectProvider<ObservationRegistry> registry) {
		MethodInterceptor step = invocation -> {
			Observation observation = Observation.createNotStarted("fidelis.module.listener", registry.getObject())
					.lowCardinalityKeyValue("listener", listener(invocation.getMethod()));
			return observation.observeChecked(invocation::proceed);
		};
		DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
				AnnotationMatchingPointcut.forMethodAnnotation(ApplicationModuleListener.class), step);
		advisor.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return advisor;
	}

	/** {@code module.Class.method(EventType)}, as the event backlog names listeners. */
	static String listener(Method method) {
		String[] packages = method.getDeclaringClass().getPackageName().split("\\.");
		String module = packages.length > 2 ? packages[2] : method.getDeclaringClass().getPackageName();
		String event = method.getParameterCount() == 0 ? "" : method.getParameterTypes()[0].getSimpleName();
		return module + "." + method.getDeclaringClass().getSimpleName() + "." + method.getName() + "(" + event + ")";
	}
}
