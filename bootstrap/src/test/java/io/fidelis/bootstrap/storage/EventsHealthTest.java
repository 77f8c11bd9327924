package io.fidelis.bootstrap.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.PublicationTargetIdentifier;
import org.springframework.modulith.events.core.TargetEventPublication;
import org.springframework.modulith.events.support.CompletionMode;

/** The events health component goes DOWN once a listener's oldest event waited past the limit, and back UP. */
class EventsHealthTest {

	record Sample(String name) {
	}

	@Test
	void downWhileAnEventWaitsPastTheLimitUpOnceItIsHandled() {
		BatchedEventPublications publications = new BatchedEventPublications(mock(EventPublicationRepository.class),
				mock(MongoTemplate.class), CompletionMode.UPDATE, Duration.ofMinutes(5));
		EventsHealth strict = new EventsHealth(publications, Duration.ZERO);
		EventsHealth patient = new EventsHealth(publications, Duration.ofMinutes(5));
		assertThat(strict.health(true).getStatus()).isEqualTo(Status.UP);

		TargetEventPublication waiting = TargetEventPublication.of(new Sample("x"),
				PublicationTargetIdentifier.of("io.fidelis.reporting.ModuleEvents.on(io.fidelis.points.PointsSettled)"));
		publications.create(waiting);
		await(Duration.ofMillis(5));
		assertThat(strict.health(true).getStatus()).isEqualTo(Status.DOWN);
		assertThat(strict.health(true).getDetails().get("waiting")).isInstanceOfSatisfying(Map.class,
				m -> assertThat(m).containsKey("reporting.ModuleEvents.on(PointsSettled)"));
		assertThat(patient.health(true).getStatus()).isEqualTo(Status.UP);

		publications.markCompleted(waiting.getIdentifier(), Instant.now());
		assertThat(strict.health(true).getStatus()).isEqualTo(Status.UP);
	}

	/** Lets the clock pass a few milliseconds, so that an age is above zero. */
	private static void await(Duration at) {
		Instant until = Instant.now().plus(at);
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(until));
	}
}
