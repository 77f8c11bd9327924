package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;

import reactor.core.publisher.Mono;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

/** Subscriptions over WebSocket (graphql-ws), authenticated by the token in connection_init. */
class SubscriptionApiTest extends ApiTest {

	static final String FOLLOW = "subscription($id: ID!) { pointsAccount(memberId: $id) { available openedAt } }";

	WebSocketGraphQlClient socket(String token) {
		WebSocketGraphQlClient.Builder<?> builder = WebSocketGraphQlClient.builder("ws://localhost:" + port + "/graphql-ws",
				new ReactorNettyWebSocketClient());
		if (token != null) {
			builder.interceptor(new WebSocketGraphQlClientInterceptor() {
				@Override
				public Mono<Object> connectionInitPayload() {
					return Mono.just(Map.of("Authorization", "Bearer " + token));
				}
			});
		}
		return builder.build();
	}

	String enrolledSelf(String memberToken) {
		String program = program("acme");
		graphQl(memberToken).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute();
		return graphQl(memberToken).document("query($p: ID!) { me(programId: $p) { id } }").variable("p", program)
				.execute().path("me.id").entity(String.class).get();
	}

	@Test
	void aMemberFollowsTheirOwnBalance() {
		String dana = member("dana-" + key());
		String id = enrolledSelf(dana);

		Long balance = socket(dana).document(FOLLOW).variable("id", id).retrieveSubscription("pointsAccount.available")
				.toEntity(Long.class).blockFirst(Duration.ofSeconds(15));

		assertThat(balance).isZero();
	}

	@Test
	void staffFollowAnyBalance() {
		String id = enrolledSelf(member("erin-" + key()));
		assertThat(socket(staffAdmin()).document(FOLLOW).variable("id", id).retrieveSubscription("pointsAccount.available")
				.toEntity(Long.class).blockFirst(Duration.ofSeconds(15))).isZero();
	}

	@Test
	void anotherMemberOrNobodyIsRefused() {
		String id = enrolledSelf(member("frank-" + key()));

		assertThatThrownBy(() -> socket(member("mallory")).document(FOLLOW).variable("id", id).retrieveSubscription("pointsAccount.available")
				.toEntity(Long.class).blockFirst(Duration.ofSeconds(15)))
				.isInstanceOfSatisfying(SubscriptionErrorException.class,
						e -> assertThat(e.getErrors()).singleElement().satisfies(
								error -> assertThat(error.getExtensions()).containsEntry("code", "FORBIDDEN")));
		assertThatThrownBy(() -> socket(null).document(FOLLOW).variable("id", id).retrieveSubscription("pointsAccount.available")
				.toEntity(Long.class).blockFirst(Duration.ofSeconds(15)))
				.isInstanceOfSatisfying(SubscriptionErrorException.class,
						e -> assertThat(e.getErrors()).singleElement().satisfies(
								error -> assertThat(error.getExtensions()).containsEntry("code", "UNAUTHENTICATED")));
	}

	@Test
	void anInvalidTokenClosesTheConnection() {
		assertThatThrownBy(() -> socket("forged.token.value").document(FOLLOW).variable("id", "m_x").retrieveSubscription("pointsAccount.available")
				.toEntity(Long.class).blockFirst(Duration.ofSeconds(15)))
				.isInstanceOf(org.springframework.graphql.client.GraphQlTransportException.class)
				.hasMessageContaining("code=4401");
	}

	@Test
	void queriesAndMutationsRunOverTheSocketUnderTheRulesOfHttp() {
		String grace = member("grace-" + key());
		String id = enrolledSelf(grace);
		WebSocketGraphQlClient admin = socket(staffAdmin());
		assertThat(admin.document("query($id: ID!) { member(id: $id) { id points { available } } }").variable("id", id)
				.retrieve("member.id").toEntity(String.class).block(Duration.ofSeconds(15))).isEqualTo(id);
		WebSocketGraphQlClient self = socket(grace);
		assertThat(self.document("query($p: ID!) { me(programId: $p) { id } }").variable("p", "acme").retrieve("me.id")
				.toEntity(String.class).block(Duration.ofSeconds(15))).isEqualTo(id);
		assertThat(self.document("""
				mutation($m: ID!, $k: String!) { redeemPoints(input: {memberId: $m, points: 1, source: {channel: APP},
				  idempotencyKey: $k, dryRun: true}) { dryRun } }""").variable("m", id).variable("k", key()).execute()
				.block(Duration.ofSeconds(15)).getErrors())
				.singleElement().satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "INSUFFICIENT_POINTS"));
		// the same refusals as over HTTP: a member reads only themselves, a till may not adjust
		String other = enrolledSelf(member("heidi-" + key()));
		assertThat(self.document("query($id: ID!) { member(id: $id) { id } }").variable("id", other).execute()
				.block(Duration.ofSeconds(15)).getErrors())
				.singleElement().satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "FORBIDDEN"));
		assertThat(socket(pos()).document("""
				mutation($m: ID!, $k: String!) { adjustPoints(input: {memberId: $m, points: 5, reason: "x", idempotencyKey: $k}) { replayed } }""")
				.variable("m", id).variable("k", key()).execute().block(Duration.ofSeconds(15)).getErrors())
				.singleElement().satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "FORBIDDEN"));
	}

	@Test
	void aConnectionClosesWhenItsTokenExpiresAndRunsNothingMore() {
		String ivan = "ivan-" + key();
		String id = enrolledSelf(member(ivan));
		String shortLived = token("member", "subject", ivan, "expires_in", "3");
		long opened = System.nanoTime();
		assertThatThrownBy(() -> socket(shortLived).document(FOLLOW).variable("id", id).retrieveSubscription("pointsAccount.available")
				.toEntity(Long.class).blockLast(Duration.ofSeconds(30)))
				.as("the subscription ends with the connection")
				.hasStackTraceContaining("4401");
		assertThat(Duration.ofNanos(System.nanoTime() - opened)).isLessThan(Duration.ofSeconds(25));
	}
}
