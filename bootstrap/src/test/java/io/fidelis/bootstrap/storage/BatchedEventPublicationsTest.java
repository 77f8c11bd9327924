package io.fidelis.bootstrap.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.modulith.events.core.EventPublicationRepository;

import io.fidelis.FidelisApplication;
import io.fidelis.members.Caller;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.DefineProgram;
import io.fidelis.members.application.DefiningPrograms;
import io.fidelis.members.application.EnrollMember;
import io.fidelis.members.application.EnrollingMembers;
import io.fidelis.members.domain.EmailAddress;

/**
 * Module events on the embedded store: every publication is completed (removed) once its
 * listener ran, and completing it reads the registry by {@code _id} alone, never by scanning it.
 */
@SpringBootTest(classes = FidelisApplication.class, properties = { "fidelis.mongodb.embedded.in-memory=true",
		"fidelis.mongodb.embedded.port=0", "fidelis.events.retry-every=PT1H" })
class ExactKeyEventPublicationsTest {

	static final Caller POS = new Caller.IntegrationClient("pos-registry", Set.of("members:write"));

	@Autowired
	EventPublicationRepository repository;
	@Autowired
	StorageConfiguration.EmbeddedMongo embedded;
	@Autowired
	MongoTemplate mongo;
	@Autowired
	DefiningPrograms programs;
	@Autowired
	EnrollingMembers enrolling;

	@Test
	void publications_are_completed_by_id_without_scanning_the_registry() {
		assertThat(repository).isInstanceOf(ExactKeyEventPublications.class);
		ProgramId program = new ProgramId("registry");
		programs.define(new DefineProgram(program, "Registry", Set.of("EUR"), Set.of("FR"), "Europe/Paris"));
		await().atMost(Duration.ofSeconds(30)).until(() -> mongo.getCollection(ExactKeyEventPublications.COLLECTION)
				.estimatedDocumentCount() == 0);
		long scansBefore = scansOfRegistry();

		for (int i = 0; i < 5; i++) {
			enrolling.enroll(POS, new EnrollMember(program, new EmailAddress(UUID.randomUUID() + "@example.com"), "Ann",
					null, false, "v1", UUID.randomUUID().toString()));
		}

		await().atMost(Duration.ofSeconds(30)).until(() -> mongo.getCollection(ExactKeyEventPublications.COLLECTION)
				.estimatedDocumentCount() == 0);
		assertThat(scansOfRegistry()).isEqualTo(scansBefore);
	}

	private long scansOfRegistry() {
		return embedded.server().store().scans().getOrDefault("fidelis." + ExactKeyEventPublications.COLLECTION, 0L);
	}
}
