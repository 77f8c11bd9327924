package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;

import io.fidelis.points.application.SettingRules;

/**
 * The API on a real MongoDB replica set, the production store, where races happen that the
 * embedded server's per-collection lock never shows. A replica set offers transactions, and
 * Fidelis opens none there either: a duplicate key inside a MongoDB transaction aborts it even
 * when caught, so a retried request would fail instead of answering its first result. These
 * tests hold the cases that would break: retries, copies racing, a taken email, one account
 * credited by many tills at once. Skipped, with JUnit saying so, where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class RealMongoDbApiTest extends ApiTest {

	@Container
	static final MongoDBContainer MONGO = new MongoDBContainer("mongo:8.0");

	@DynamicPropertySource
	static void realMongo(DynamicPropertyRegistry registry) {
		registry.add("fidelis.mongodb.uri", () -> MONGO.getReplicaSetUrl("fidelis"));
	}

	@Autowired
	SettingRules rules;

	@Test
	void enrollmentAndItsEventReachPoints() {
		String program = program("acme");
		String id = graphQl(pos()).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute().path("enrollMember.member.id").entity(String.class).get();

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> graphQl(staffAdmin())
				.document("query($id: ID!) { member(id: $id) { points { available } } }").variable("id", id).execute()
				.path("member.points.available").entity(Long.class).isEqualTo(0L));
	}

	@Test
	void aRetriedEnrollmentAnswersItsFirstResultAndATakenEmailIsRefused() {
		String program = program("acme");
		String email = key() + "@example.com";
		Map<String, Object> input = enrollment(program, email, key());
		String first = graphQl(pos()).document(ENROLL).variable("input", input).execute()
				.path("enrollMember.member.id").entity(String.class).get();

		graphQl(pos()).document(ENROLL).variable("input", input).execute()
				.path("enrollMember.replayed").entity(Boolean.class).isEqualTo(true)
				.path("enrollMember.member.id").entity(String.class).isEqualTo(first);
		refusedWith(graphQl(pos()).document(ENROLL).variable("input", enrollment(program, email, key())), "CONFLICT");
	}

	@Test
	void retriesAndRacingCopiesCreditOnceAndManyTillsCreditOneAccount() throws Exception {
		String program = program("acme");
		await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program).isPresent());
		String member = graphQl(pos()).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute().path("enrollMember.member.id").entity(String.class).get();
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(available(member)).isZero());

		String retried = key();
		long sequence = graphQl(pos()).document(PointsApiTest.EARN).variable("input", PointsApiTest.earnInput(member, 10L, retried))
				.execute().path("earnPoints.replayed").entity(Boolean.class).isEqualTo(false)
				.path("earnPoints.entry.sequence").entity(Long.class).get();
		graphQl(pos()).document(PointsApiTest.EARN).variable("input", PointsApiTest.earnInput(member, 10L, retried)).execute()
				.path("earnPoints.replayed").entity(Boolean.class).isEqualTo(true)
				.path("earnPoints.entry.sequence").entity(Long.class).isEqualTo(sequence);

		String raced = key();
		List<Long> racedSequences = atOnce(16, i -> graphQl(pos()).document(PointsApiTest.EARN)
				.variable("input", PointsApiTest.earnInput(member, 5L, raced)).execute()
				.path("earnPoints.entry.sequence").entity(Long.class).get());
		assertThat(racedSequences).as("every copy answers the one credit").containsOnly(racedSequences.get(0));

		List<Long> tills = atOnce(32, i -> graphQl(pos()).document(PointsApiTest.EARN)
				.variable("input", PointsApiTest.earnInput(member, 1L + i, key())).execute()
				.path("earnPoints.entry.sequence").entity(Long.class).get());
		assertThat(tills).doesNotHaveDuplicates();
		assertThat(available(member)).isEqualTo(10 + 5 + (32 * 33) / 2);
	}

	long available(String member) {
		return graphQl(staffAdmin()).document("query($id: ID!) { member(id: $id) { points { available } } }")
				.variable("id", member).execute().path("member.points.available").entity(Long.class).get();
	}

	interface Call {
		Long run(int i);
	}

	static List<Long> atOnce(int callers, Call call) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		try {
			List<Callable<Long>> calls = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				int n = i;
				calls.add(() -> call.run(n));
			}
			List<Long> answers = new ArrayList<>();
			for (Future<Long> f : pool.invokeAll(calls)) {
				answers.add(f.get());
			}
			return answers;
		}
		finally {
			pool.shutdownNow();
		}
	}
}
