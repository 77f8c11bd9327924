package io.fidelis.api;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * The slice on a real MongoDB replica set, where Fidelis insists on transactions: the business
 * write and the event publication commit together. Skipped, with JUnit saying so, where no
 * Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class RealMongoDbApiTest extends ApiTest {

	@Container
	static final MongoDBContainer MONGO = new MongoDBContainer("mongo:8.0");

	@DynamicPropertySource
	static void realMongo(DynamicPropertyRegistry registry) {
		registry.add("fidelis.mongodb.uri", () -> MONGO.getReplicaSetUrl("fidelis"));
		registry.add("fidelis.mongodb.transactions", () -> "on");
	}

	@Test
	void enrollmentAndItsEventCommitTogetherOnAReplicaSet() {
		String program = program("acme");
		String id = graphQl(pos()).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute().path("enrollMember.member.id").entity(String.class).get();

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> graphQl(staffAdmin())
				.document("query($id: ID!) { member(id: $id) { points { available } } }").variable("id", id).execute()
				.path("member.points.available").entity(Long.class).isEqualTo(0L));
	}
}
